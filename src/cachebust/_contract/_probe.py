"""The probe's reads: raw replies, each kept with the koyeb-sdk model it should fit.

The typed `Client` methods keep only the fields cachebust uses, and re-sort lists; the
probe needs the replies as the API sent them, in its order, with every field.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx

from cachebust._client import PAGE_SIZE, Client
from cachebust._errors import CachebustError
from cachebust._models import format_time, parse_time

JsonDict = dict[str, Any]


@dataclass(frozen=True, slots=True)
class Reply:
    """A reply as it came, and the koyeb-sdk model of the operation that sent it."""

    model: str
    path: str
    body: JsonDict


@dataclass
class Probe:
    client: Client
    replies: list[Reply] = field(default_factory=list)

    def get(
        self, path: str, params: Mapping[str, Any] | httpx.QueryParams | None, *, model: str
    ) -> JsonDict:
        body = self.client.get_json(path, params, action=f"read {path}")
        self.replies.append(Reply(model, path, body))
        return body

    def object(self, path: str, key: str, *, model: str) -> JsonDict:
        """The object under `key` in the reply to GET `path` (empty when missing)."""
        found = self.get(path, None, model=model).get(key)
        return found if isinstance(found, dict) else {}

    def attempt(
        self, path: str, params: Mapping[str, Any] | httpx.QueryParams | None, *, model: str
    ) -> JsonDict | CachebustError:
        """The reply, or the error the request was answered with (for probing refusals)."""
        try:
            return self.get(path, params, model=model)
        except CachebustError as exc:
            return exc

    def pages(
        self, path: str, key: str, params: Mapping[str, Any], *, model: str
    ) -> list[JsonDict]:
        """Every item of a list, in the order the API sent them, a full page at a time."""
        found: list[JsonDict] = []
        while True:
            page = self.get(path, {**params, "limit": PAGE_SIZE, "offset": len(found)}, model=model)
            items = [i for i in page.get(key) or [] if isinstance(i, dict)]
            found += items
            more = page.get("has_next")
            if not isinstance(more, bool):
                count = page.get("count")
                more = isinstance(count, int) and len(found) < count
            if not items or not more:
                return found

    def log_lines(
        self,
        deployment_id: str,
        *,
        kind: str = "build",
        start: datetime,
        end: datetime | None = None,
        limit: int = 1000,
        **extra: str,
    ) -> list[JsonDict]:
        """A deployment's log lines from `start`, oldest first, every page."""
        params: dict[str, Any] = {
            "type": kind,
            "deployment_id": deployment_id,
            "order": "asc",
            "limit": limit,
            "start": stamp(start),
            **extra,
        }
        if end is not None:
            params["end"] = stamp(end)
        lines: list[JsonDict] = []
        while True:
            reply = self.get("/v1/streams/logs/query", params, model="QueryLogsReply")
            lines += [e for e in reply.get("data") or [] if isinstance(e, dict)]
            more = reply.get("pagination")
            if not isinstance(more, dict) or more.get("has_more") is not True:
                return lines
            window = (more.get("next_start"), more.get("next_end"))
            if window == (params["start"], params.get("end")) or not all(window):
                return lines
            params["start"], params["end"] = window


def stamp(moment: datetime) -> str:
    """RFC 3339 with the microseconds, so that a query can start on a line's own time."""
    if moment.microsecond == 0:
        return format_time(moment)
    return format_time(moment.replace(microsecond=0))[:-1] + f".{moment.microsecond:06d}Z"


def created(item: Mapping[str, Any]) -> datetime | None:
    return parse_time(item.get("created_at"))


def oldest_first(items: Iterable[JsonDict]) -> list[JsonDict]:
    """The items with a creation time, oldest first."""
    dated = [(moment, item) for item in items if (moment := created(item)) is not None]
    return [item for _, item in sorted(dated, key=lambda pair: pair[0])]


def before(moment: datetime | None, seconds: float) -> datetime:
    """`seconds` before `moment` (the epoch when it is unknown)."""
    return (moment or datetime(1970, 1, 1, tzinfo=UTC)) - timedelta(seconds=seconds)
