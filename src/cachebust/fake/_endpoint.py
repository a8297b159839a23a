"""What every API handler gets and returns, and the 404s for unknown ids."""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from cachebust.fake._fake_clock import FakeClock
from cachebust.fake._faults import FaultBook
from cachebust.fake._journal import Journal
from cachebust.fake._query import Query
from cachebust.fake._state import App, Deployment, JsonDict, Service, Store
from cachebust.fake._wire import ApiError, ApiRequest


@dataclass(frozen=True)
class Controls:
    """What the fake's own routes (`/_fake/`) act on, besides the organization."""

    journal: Journal
    faults: FaultBook
    clock: FakeClock


@dataclass(frozen=True)
class Ctx:
    store: Store
    now: datetime
    request: ApiRequest
    #: Path parameters, e.g. {"id": "..."}.
    params: dict[str, str]
    query: Query
    controls: Controls

    # An id no object has, well-formed or not, is a 404 (contract: assume-unknown-id).
    def app(self) -> App:
        found = self.store.apps.get(self.params["id"])
        if found is None:
            raise ApiError(404, "App not found")
        return found

    def service(self) -> Service:
        found = self.store.services.get(self.params["id"])
        if found is None:
            raise ApiError(404, "Service not found")
        return found

    def deployment(self) -> Deployment:
        found = self.store.deployments.get(self.params["id"])
        if found is None:
            raise ApiError(404, "Deployment not found")
        return found


Handler = Callable[[Ctx], JsonDict]


@dataclass(frozen=True)
class Endpoint:
    """One operation: `path` has `{name}` placeholders; `model` names the reply's koyeb-sdk
    model (None for the fake's own routes, which Koyeb does not have)."""

    method: str
    path: str
    handler: Handler
    model: str | None

    def match(self, path: str) -> dict[str, str] | None:
        found = _pattern(self.path).fullmatch(path)
        return found.groupdict() if found else None


@functools.cache
def _pattern(template: str) -> re.Pattern[str]:
    return re.compile(re.sub(r"\{(\w+)\}", r"(?P<\1>[^/]+)", template))
