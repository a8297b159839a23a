"""The record of every API request the fake received, with the token masked."""

from __future__ import annotations

import json
import threading
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from cachebust.fake._ids import rfc3339
from cachebust.fake._wire import ApiRequest

MASK = "***"
#: Enough for any test; bounds the memory of a long-running server.
_KEEP = 10_000


@dataclass(frozen=True)
class JournalEntry:
    """One request and what became of it.

    `query` maps each parameter to its values in order; `body` is the parsed JSON
    body (None when empty, the text when not JSON); `headers` are lower-cased with
    the bearer token replaced by `***`. `status` is None when the connection was
    dropped; `reply` is the JSON body sent and `model` the koyeb-sdk model it fits.
    """

    at: datetime
    method: str
    path: str
    query: dict[str, list[str]]
    body: Any
    headers: dict[str, str]
    status: int | None
    reply: Any
    model: str | None
    fault: str | None

    def as_json(self) -> dict[str, Any]:
        return {
            "at": rfc3339(self.at),
            "method": self.method,
            "path": self.path,
            "query": self.query,
            "body": self.body,
            "headers": self.headers,
            "status": self.status,
            "model": self.model,
            "fault": self.fault,
        }


class Journal:
    def __init__(self) -> None:
        self._entries: deque[JournalEntry] = deque(maxlen=_KEEP)
        self._lock = threading.Lock()

    def record(self, entry: JournalEntry) -> None:
        with self._lock:
            self._entries.append(entry)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()

    def __iter__(self) -> Iterator[JournalEntry]:
        with self._lock:
            return iter(list(self._entries))

    def __len__(self) -> int:
        return len(self._entries)

    def __getitem__(self, index: int) -> JournalEntry:
        with self._lock:
            return self._entries[index]


def entry(
    request: ApiRequest,
    at: datetime,
    *,
    token: str,
    status: int | None,
    reply: bytes | None,
    model: str | None,
    fault: str | None,
) -> JournalEntry:
    query: dict[str, list[str]] = {}
    for name, value in request.query:
        query.setdefault(name, []).append(value)
    return JournalEntry(
        at=at,
        method=request.method,
        path=request.path,
        query=query,
        body=_parsed(request.body),
        headers={name: _mask(name, value, token) for name, value in request.headers.items()},
        status=status,
        reply=_parsed(reply or b""),
        model=model,
        fault=fault,
    )


def _mask(name: str, value: str, token: str) -> str:
    # Any credential goes, right or wrong: a wrong one may be a real token sent by mistake.
    if name == "authorization":
        scheme, _, credential = value.partition(" ")
        return f"{scheme} {MASK}" if credential else MASK
    return value.replace(token, MASK) if token else value


def _parsed(raw: bytes) -> Any:
    if not raw:
        return None
    text = raw.decode("utf-8", "replace")
    try:
        return json.loads(text)
    except ValueError:
        return text
