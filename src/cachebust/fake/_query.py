"""Query parameters read the way the Koyeb API (grpc-gateway) reads them.

Empty values count as absent (the `koyeb` CLI sends `deployment_id=&regex=`),
array parameters repeat their key, a scalar given twice is an error (contract:
assume-repeated-parameter), and a value of the wrong type is a 400 naming the
parameter. Unknown parameters are ignored.

The list helpers apply the list assumptions: how `name` matches (contract:
assume-name-filter), the order (assume-list-order), the default and the largest page
(assume-list-default-limit, assume-list-limit-over-max) and `has_next`
(assume-has-next); the page size limits themselves are contract: api-list-pagination.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from datetime import datetime
from typing import TypeVar

from cachebust.fake._assumptions import Assumed
from cachebust.fake._ids import parse_rfc3339
from cachebust.fake._wire import invalid

# strconv.ParseBool's spellings, which grpc-gateway accepts.
_TRUE = {"1", "t", "T", "TRUE", "true", "True"}
_FALSE = {"0", "f", "F", "FALSE", "false", "False"}

T = TypeVar("T")


class Query:
    def __init__(self, pairs: Iterable[tuple[str, str]], *, last_wins: bool = False) -> None:
        self._values: dict[str, list[str]] = {}
        self._last_wins = last_wins
        for name, value in pairs:
            if value != "":
                self._values.setdefault(name, []).append(value)

    def text(self, name: str) -> str | None:
        values = self._values.get(name, [])
        if len(values) > 1 and not self._last_wins:
            raise invalid(name, "must be given once")
        return values[-1] if values else None

    def many(self, name: str) -> list[str]:
        return list(self._values.get(name, []))

    def enums(self, name: str, allowed: tuple[str, ...]) -> list[str]:
        values = self.many(name)
        for value in values:
            if value not in allowed:
                raise invalid(
                    name, f"invalid value {value!r}: expected one of " + ", ".join(allowed)
                )
        return values

    def integer(self, name: str, *, default: int, maximum: int | None = None) -> int:
        """A non-negative integer; 0 and absent both mean `default`, as in protobuf."""
        raw = self.text(name)
        if raw is None:
            return default
        try:
            value = int(raw)
        except ValueError:
            raise invalid(name, f"invalid integer {raw!r}") from None
        if value < 0:
            raise invalid(name, "must not be negative")
        if maximum is not None and value > maximum:
            raise invalid(name, f"must be at most {maximum}")
        return value or default

    def boolean(self, name: str) -> bool:
        raw = self.text(name)
        if raw is None or raw in _FALSE:
            return False
        if raw in _TRUE:
            return True
        raise invalid(name, f"invalid boolean {raw!r}")

    def time(self, name: str) -> datetime | None:
        raw = self.text(name)
        if raw is None:
            return None
        moment = parse_rfc3339(raw)
        if moment is None:
            raise invalid(name, f"invalid RFC 3339 timestamp {raw!r}")
        return moment

    def choice(self, name: str, choices: tuple[str, ...], default: str) -> str:
        raw = self.text(name)
        if raw is None:
            return default
        if raw not in choices:
            raise invalid(name, f"must be one of {', '.join(choices)}, not {raw!r}")
        return raw


#: The API documents `limit` as a positive integer of at most 100.
LIST_MAX_LIMIT = 100


def named(assumed: Assumed, wanted: str | None, name: str) -> bool:
    """Whether the `name` filter keeps an item called `name` (contract: assume-name-filter)."""
    if wanted is None:
        return True
    rule = assumed.value("name-filter")
    if rule == "exact":
        return name == wanted
    if rule == "prefix":
        return name.startswith(wanted)
    return rule == "ignored" or wanted in name


def in_list_order(
    items: Iterable[T], created: Callable[[T], datetime], assumed: Assumed
) -> list[T]:
    """`items` in the order the API lists them (contract: assume-list-order)."""
    newest_first = assumed.holds("list-order", "newest-first")
    return sorted(items, key=created, reverse=newest_first)


def matching(
    items: Iterable[T],
    query: Query,
    *,
    equal: Mapping[str, Callable[[T], str]],
    one_of: Mapping[str, Callable[[T], str]],
    allowed: Mapping[str, tuple[str, ...]] | None = None,
) -> list[T]:
    """The items the query's filters keep: each `equal` parameter, given once, must equal
    its field; each `one_of` parameter, repeatable, must name its field's value (refused
    with a 400 when `allowed` lists the values it may take and one is not among them)."""
    kept = list(items)
    for name, field in equal.items():
        wanted = query.text(name)
        if wanted is not None:
            kept = [item for item in kept if field(item) == wanted]
    for name, field in one_of.items():
        choices = (allowed or {}).get(name)
        values = query.enums(name, choices) if choices is not None else query.many(name)
        if values:
            kept = [item for item in kept if field(item) in values]
    return kept


def paginate(
    items: list[T], query: Query, assumed: Assumed
) -> tuple[list[T], dict[str, int | bool]]:
    """One page of `items` and the `limit`, `offset`, `count`, `has_next` fields of its reply."""
    default = int(assumed.value("list-default-limit"))
    clamp = assumed.holds("list-limit-over-max", "clamp")
    limit = query.integer("limit", default=default, maximum=None if clamp else LIST_MAX_LIMIT)
    limit = min(limit, LIST_MAX_LIMIT)
    offset = query.integer("offset", default=0)
    page = items[offset : offset + limit]
    meta: dict[str, int | bool] = {"limit": limit, "offset": offset, "count": len(items)}
    if assumed.holds("has-next", "present"):
        meta["has_next"] = offset + len(page) < len(items)
    return page, meta
