"""What the app, service and deployment lists show: the name filter, paging, order."""

from __future__ import annotations

import itertools
import secrets
from collections.abc import Callable, Sequence
from typing import Any

import httpx

from cachebust._contract._findings import Finding, differs, holds, unseen
from cachebust._contract._probe import JsonDict, Probe, created
from cachebust._errors import InvalidRequest

#: The list replies the probe read, by the kind of item they hold.
Lists = dict[str, list[JsonDict]]


def name_filter(probe: Probe, app: JsonDict, service: JsonDict) -> Finding:
    """contract: assume-name-filter, on the apps and on the target app's services."""
    anchor = "assume-name-filter"
    app_name, service_name = str(app.get("name", "")), str(service.get("name", ""))

    def apps(name: str) -> list[str]:
        found = probe.pages("/v1/apps", "apps", {"name": name}, model="ListAppsReply")
        return [str(a.get("name")) for a in found]

    def services(name: str) -> list[str]:
        params = {"app_id": app.get("id"), "name": name}
        found = probe.pages("/v1/services", "services", params, model="ListServicesReply")
        return [str(s.get("name")) for s in found]

    rules = {"apps": _rule(apps, app_name), "services": _rule(services, service_name)}
    seen = {rule for rule in rules.values() if rule is not None}
    if not seen:
        return unseen(anchor, "the names are too short to take a part of")
    if seen == {"substring"}:
        return holds(anchor, "a part of a name finds it")
    said = "; ".join(f"{kind}: {rule}" for kind, rule in rules.items() if rule is not None)
    return differs(anchor, f"the filter matches as {said}")


def _rule(listed: Callable[[str], list[str]], real: str) -> str | None:
    """How the `name` filter matches, judged on the item called `real`; None when `real`
    has no part that is not also its prefix."""
    inner = next((real[i:] for i in range(1, len(real)) if not real.startswith(real[i:])), "")
    if not inner or len(real) < 2:
        return None
    if listed(f"zz-no-such-name-{secrets.token_hex(6)}"):
        return "ignored (a name that exists nowhere lists items)"
    by_head, by_inner = real in listed(real[:-1]), real in listed(inner)
    if by_head and by_inner:
        return "substring"
    if by_head:
        return "prefix (a part inside the name finds nothing)"
    if not by_inner and real in listed(real):
        return "exact (a part of the name finds nothing)"
    return "unknown (a part inside the name finds it, its beginning does not)"


def default_limit(probe: Probe) -> Finding:
    """contract: assume-list-default-limit"""
    anchor = "assume-list-default-limit"
    reply = probe.get("/v1/apps", None, model="ListAppsReply")
    limit = reply.get("limit")
    if not isinstance(limit, int):
        return unseen(anchor, "the reply to a list without `limit` states no `limit`")
    if limit == 20:
        return holds(anchor, "limit 20")
    return differs(anchor, f"a list without `limit` answers limit {limit}")


def limit_over_max(probe: Probe) -> Finding:
    """contract: assume-list-limit-over-max"""
    anchor = "assume-list-limit-over-max"
    reply = probe.attempt("/v1/apps", {"limit": 101}, model="ListAppsReply")
    if isinstance(reply, InvalidRequest):
        return holds(anchor, "refused with a 400")
    if isinstance(reply, Exception):
        return differs(anchor, f"answered {reply.what}")
    return differs(anchor, f"served, with limit {reply.get('limit')} (clamped, not refused)")


def repeated_parameter(probe: Probe) -> Finding:
    """contract: assume-repeated-parameter"""
    anchor = "assume-repeated-parameter"
    query = httpx.QueryParams([("limit", "1"), ("limit", "2")])
    reply = probe.attempt("/v1/apps", query, model="ListAppsReply")
    if isinstance(reply, InvalidRequest):
        return holds(anchor, "`limit=1&limit=2` refused with a 400")
    if isinstance(reply, Exception):
        return differs(anchor, f"`limit=1&limit=2` answered {reply.what}")
    return differs(anchor, f"`limit=1&limit=2` served, with limit {reply.get('limit')}")


def order(lists: Lists) -> Finding:
    """contract: assume-list-order, along each list as the API sent it."""
    anchor = "assume-list-order"
    orders = {kind: _order(items) for kind, items in lists.items()}
    seen = {kind: found for kind, found in orders.items() if found is not None}
    if not seen:
        return unseen(anchor, "no list has two items created at different times")
    if set(seen.values()) == {"newest first"}:
        return holds(anchor, ", ".join(f"{kind} newest first" for kind in seen))
    said = ", ".join(f"{kind} {found}" for kind, found in seen.items())
    return differs(anchor, said)


def _order(items: Sequence[JsonDict]) -> str | None:
    times = [t for t in (created(item) for item in items) if t is not None]
    if len(set(times)) < 2:
        return None
    if all(a >= b for a, b in itertools.pairwise(times)):
        return "newest first"
    if all(a <= b for a, b in itertools.pairwise(times)):
        return "oldest first"
    return "in neither order of creation"


def has_next(probe: Probe) -> Finding:
    """contract: assume-has-next, in every list reply read so far."""
    anchor = "assume-has-next"
    lists = [r for r in probe.replies if r.model.startswith("List")]
    without = [r.path for r in lists if "has_next" not in r.body]
    if not lists:
        return unseen(anchor, "no list was read")
    if not without:
        return holds(anchor, f"in all {len(lists)} list replies")
    return differs(anchor, f"{len(without)} of {len(lists)} list replies have no `has_next`")


def pagination(probe: Probe) -> Finding:
    """contract: api-list-pagination: `limit`, `offset`, `count` as integers, pages of at
    most 100."""
    anchor = "api-list-pagination"
    bad = []
    for reply in (r for r in probe.replies if r.model.startswith("List")):
        numbers: dict[str, Any] = {k: reply.body.get(k) for k in ("limit", "offset", "count")}
        if not all(isinstance(v, int) and not isinstance(v, bool) for v in numbers.values()):
            bad.append(f"{reply.path}: {numbers}")
        elif numbers["limit"] > 100:
            bad.append(f"{reply.path}: limit {numbers['limit']}")
    if bad:
        return differs(anchor, "; ".join(bad[:3]))
    return holds(anchor)
