"""GET /v1/streams/logs/query: build and runtime log lines, filtered and paged by time.

Rules from the API document (contract: api-logs-query): at least one of app_id,
service_id, deployment_id, regional_deployment_id, instance_id(s); `regex` and `text`
not together; `start` before `end` (defaults: 15 minutes ago, now); `order` asc or desc
(default desc); `limit` default 100, at most 1000. What the document leaves open is
assumed: lines are visible from their own time (contract: assume-log-visibility); the
window is start inclusive, end exclusive, to the microsecond (assume-log-bounds,
assume-log-start-precision) and any span is served (assume-log-window-max); `text` is a
case-sensitive substring and `regex` Python's (assume-log-filters); a page that stops
short sets `pagination.has_more` and the window for the next page in
`next_start`/`next_end`, after its last line (assume-log-pagination).
"""

from __future__ import annotations

import re
from datetime import timedelta

from cachebust.fake import _replies as render
from cachebust.fake._endpoint import Ctx, Endpoint
from cachebust.fake._ids import rfc3339
from cachebust.fake._state import JsonDict, LogLine
from cachebust.fake._wire import ApiError, invalid

DEFAULT_WINDOW = timedelta(minutes=15)
DEFAULT_LIMIT = 100
MAX_LIMIT = 1000
_TICK = timedelta(microseconds=1)
_FILTERS = ("app_id", "service_id", "deployment_id", "regional_deployment_id", "instance_id")


def query_logs(ctx: Ctx) -> JsonDict:
    query = ctx.query
    kind = query.choice("type", ("build", "runtime"), "runtime")
    filters = {name: query.text(name) for name in _FILTERS}
    instances = set(query.many("instance_ids"))
    if filters["instance_id"]:
        instances.add(filters["instance_id"])
    if not any(filters.values()) and not instances:
        raise ApiError(
            400,
            "At least one of app_id, service_id, deployment_id, regional_deployment_id"
            " or instance_ids must be set",
        )
    regex, text = query.text("regex"), query.text("text")
    if regex is not None and text is not None:
        raise invalid("regex", "cannot be combined with text")
    try:
        pattern = re.compile(regex) if regex is not None else None
    except re.error as exc:
        raise invalid("regex", f"invalid regular expression: {exc}") from None
    end = query.time("end") or ctx.now
    start = query.time("start") or end - DEFAULT_WINDOW
    if start >= end:
        raise invalid("start", "must be before end")
    order = query.choice("order", ("asc", "desc"), "desc")
    limit = query.integer("limit", default=DEFAULT_LIMIT, maximum=MAX_LIMIT)
    streams = set(query.many("streams")) | set(query.many("stream"))

    def wanted(line: LogLine) -> bool:
        return (
            line.type == kind
            and start <= line.created_at < end
            and line.created_at <= ctx.now
            and filters["app_id"] in (None, line.app_id)
            and filters["service_id"] in (None, line.service_id)
            and filters["deployment_id"] in (None, line.deployment_id)
            # The fake has no regional deployments, so that filter matches nothing.
            and filters["regional_deployment_id"] is None
            and (not instances or line.instance_id in instances)
            and (not streams or line.stream in streams)
            and (pattern is None or pattern.search(line.msg) is not None)
            and (text is None or text in line.msg)
        )

    found = [line for line in ctx.store.logs if wanted(line)]
    if order == "desc":
        found.reverse()
    page, more = found[:limit], len(found) > limit
    pagination: JsonDict = {"has_more": more}
    if more:
        last = page[-1].created_at
        next_start, next_end = (last + _TICK, end) if order == "asc" else (start, last)
        pagination |= {"next_start": rfc3339(next_start), "next_end": rfc3339(next_end)}
    return {"data": [render.log_entry(ctx.store, line) for line in page], "pagination": pagination}


ENDPOINTS = (Endpoint("GET", "/v1/streams/logs/query", query_logs, "QueryLogsReply"),)
