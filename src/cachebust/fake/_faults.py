"""Injected faults: what the next matching requests get instead of a normal answer.

A fault matches a method (or "*") and a path pattern in which `*` stands for one
path segment, e.g. "/v1/services/*/redeploy". It answers an error status (as
Koyeb's JSON, or as the HTML page a proxy sends), answers late, answers broken
JSON, or closes the connection without answering. `act` says whether the fake
acts on the request first: a gateway error or a dropped connection can come
before the API saw the request or after it acted, and a client cannot tell which;
after acting is the case in which a client that retries an unsafe request doubles
its effect. By default an error status does not act and the others do.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

#: What a fault is made of, as the admin route `POST /_fake/faults` takes it.
FIELDS = (
    *("method", "path", "status", "times", "retry_after"),
    *("delay", "drop", "malformed", "act", "html", "every"),
)


@dataclass
class Fault:
    """One injected fault, used up after `times` matching requests."""

    method: str
    path: str
    status: int | None = None
    times: int = 1
    retry_after: int | None = None
    delay: float | None = None
    drop: bool = False
    malformed: bool = False
    #: Act on the request before misbehaving; None: only when no error status is answered.
    act: bool | None = None
    #: Answer the error status with a proxy's HTML page instead of Koyeb's JSON body.
    html: bool = False
    #: Only every `every`-th matching request (the 3rd, 6th, ... for 3) gets the fault;
    #: the others pass it by, unused.
    every: int = 1
    _pattern: re.Pattern[str] = field(init=False, repr=False, compare=False)
    _seen: int = field(default=0, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        self.method = self.method.upper()
        if not self.path.startswith("/"):
            raise ValueError(f"path pattern must start with '/': {self.path!r}")
        if self.times < 1:
            raise ValueError("times must be at least 1")
        if self.every < 1:
            raise ValueError("every must be at least 1")
        if self.status is not None and not 400 <= self.status <= 599:
            raise ValueError(f"status must be an HTTP error status (400-599), not {self.status}")
        if self.status is not None and (self.drop or self.malformed):
            raise ValueError("a fault answers an error status, drops or malforms: one of them")
        if self.drop and self.malformed:
            raise ValueError("a dropped connection carries no body to malform")
        if self.delay is not None and self.delay < 0:
            raise ValueError("delay must not be negative")
        if self.retry_after is not None and self.status != 429:
            raise ValueError("retry_after goes with status=429")
        if not (self.status or self.delay or self.drop or self.malformed):
            raise ValueError("a fault needs status, delay, drop or malformed")
        if self.html and self.status is None:
            raise ValueError("html goes with an error status")
        if self.act is None:
            self.act = self.status is None
        parts = (re.escape(part) for part in self.path.split("*"))
        self._pattern = re.compile("[^/]+".join(parts))

    def matches(self, method: str, path: str) -> bool:
        return self.method in ("*", method) and self._pattern.fullmatch(path) is not None

    def as_json(self) -> dict[str, object]:
        return {name: getattr(self, name) for name in FIELDS}


class FaultBook:
    """The queue of injected faults, earliest first."""

    def __init__(self) -> None:
        self.faults: list[Fault] = []

    def add(self, fault: Fault) -> Fault:
        self.faults.append(fault)
        return fault

    def take(self, method: str, path: str) -> Fault | None:
        """The first fault matching this request, counting one use of it."""
        for fault in self.faults:
            if fault.matches(method, path):
                fault._seen += 1
                if fault._seen % fault.every:
                    continue
                fault.times -= 1
                if fault.times == 0:
                    self.faults.remove(fault)
                return fault
        return None

    def clear(self) -> None:
        self.faults.clear()
