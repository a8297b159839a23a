"""What the build and runtime logs show: their format, how queries bound and page them,
and whether push-started builds used the cache."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from cachebust._buildkit import layer_steps, parse_progress
from cachebust._contract._findings import Finding, differs, holds, unseen
from cachebust._contract._probe import JsonDict, Probe, before, created
from cachebust._errors import CachebustError, InvalidRequest
from cachebust._models import parse_time

#: Lines the fake writes when an instance starts and becomes healthy.
RUNTIME_TEXTS = (
    "Instance created. Preparing to start...",
    "Instance is healthy. All health checks are passing.",
)


@dataclass(frozen=True, slots=True)
class BuildLog:
    deployment: JsonDict
    lines: list[JsonDict]

    @property
    def messages(self) -> list[str]:
        return [str(line.get("msg", "")) for line in self.lines]


def read(probe: Probe, deployment: JsonDict) -> BuildLog:
    start = before(created(deployment), 60)
    return BuildLog(deployment, probe.log_lines(str(deployment.get("id")), start=start))


def cache_use(log: BuildLog) -> bool | None:
    """Whether the build took a step from the cache; None when no step can be read."""
    steps = layer_steps(parse_progress(log.messages))
    return any(step.cached for step in steps) if steps else None


def log_format(log: BuildLog | None) -> Finding:
    """contract: assume-build-log-format"""
    anchor = "assume-build-log-format"
    if log is None or not log.lines:
        return unseen(anchor, "no build log to read (none built, or the log expired)")
    steps = layer_steps(parse_progress(log.messages))
    if steps:
        cached = sum(step.cached for step in steps)
        return holds(anchor, f"{len(steps)} steps, {cached} CACHED")
    return differs(anchor, f"no line reads as a BuildKit step; the first is {log.messages[0]!r}")


def timestamps_unique(log: BuildLog | None) -> Finding:
    """contract: assume-log-timestamps-unique"""
    anchor = "assume-log-timestamps-unique"
    if log is None or len(log.lines) < 2:
        return unseen(anchor, "no build log of two lines")
    times = [line.get("created_at") for line in log.lines]
    repeated = len(times) - len(set(times))
    if not repeated:
        return holds(anchor, f"{len(times)} lines")
    return differs(anchor, f"{repeated} of {len(times)} lines repeat another's time")


def labels(log: BuildLog | None) -> Finding:
    """contract: assume-log-labels"""
    anchor = "assume-log-labels"
    if log is None or not log.lines:
        return unseen(anchor, "no build log to read")
    seen = {
        (str(labels.get("type")), str(labels.get("stream")))
        for labels in (line.get("labels") or {} for line in log.lines)
        if isinstance(labels, dict)
    }
    if seen == {("build", "stdout")}:
        return holds(anchor, "type build, stream stdout")
    said = ", ".join(f"type {t} stream {s}" for t, s in sorted(seen))
    return differs(anchor, f"build lines carry {said}")


def pagination(probe: Probe, log: BuildLog | None) -> Finding:
    """contract: assume-log-pagination: pages of 10 give the lines of one read."""
    anchor = "assume-log-pagination"
    if log is None or len(log.lines) <= 10:
        return unseen(anchor, "no build log of more than 10 lines")
    deployment_id = str(log.deployment.get("id"))
    start = before(created(log.deployment), 60)
    paged = probe.log_lines(deployment_id, start=start, limit=10)
    once = [(line.get("created_at"), line.get("msg")) for line in log.lines]
    if [(line.get("created_at"), line.get("msg")) for line in paged] == once:
        return holds(anchor, f"{len(once)} lines in pages of 10")
    return differs(anchor, f"pages of 10 gave {len(paged)} lines where one read gave {len(once)}")


def bounds(probe: Probe, log: BuildLog | None) -> list[Finding]:
    """contract: assume-log-bounds and assume-log-start-precision, on a line's own time."""
    anchors = ("assume-log-bounds", "assume-log-start-precision")
    pick = _line_after_one_in_its_second(log)
    if log is None or pick is None:
        why = "no build log with two lines within one second"
        return [unseen(anchor, why) for anchor in anchors]
    index, moment = pick
    deployment_id = str(log.deployment.get("id"))
    line = log.lines[index]
    from_it = probe.log_lines(
        deployment_id, start=moment, end=moment + timedelta(seconds=2), limit=1000
    )
    until_it = probe.log_lines(deployment_id, start=moment - timedelta(minutes=1), end=moment)
    start_kept = any(_same(found, line) for found in from_it)
    end_kept = any(_same(found, line) for found in until_it)
    if start_kept and not end_kept:
        bounds_finding = holds(anchors[0], "start included, end excluded")
    else:
        said = "start excluded" if not start_kept else "end included"
        bounds_finding = differs(anchors[0], f"a query bounded on a line's time has its {said}")
    earlier = [
        found for found in from_it if (parse_time(found.get("created_at")) or moment) < moment
    ]
    if earlier:
        precision = differs(
            anchors[1],
            f"a `start` within a second returns {len(earlier)} earlier lines of that second",
        )
    else:
        precision = holds(anchors[1], "a `start` keeps its fraction of a second")
    return [bounds_finding, precision]


def _line_after_one_in_its_second(log: BuildLog | None) -> tuple[int, datetime] | None:
    """A line whose previous line is earlier within the same second."""
    if log is None:
        return None
    times = [parse_time(line.get("created_at")) for line in log.lines]
    for index in range(1, len(times)):
        here, there = times[index], times[index - 1]
        if here and there and there < here and here.replace(microsecond=0) <= there:
            return index, here
    return None


def _same(a: JsonDict, b: JsonDict) -> bool:
    return a.get("created_at") == b.get("created_at") and a.get("msg") == b.get("msg")


def filters(probe: Probe, log: BuildLog | None) -> Finding:
    """contract: assume-log-filters: `text` is case-sensitive; `regex` takes a lookahead."""
    anchor = "assume-log-filters"
    line = next((m for m in (log.messages if log else []) if any(c.isalpha() for c in m)), None)
    if log is None or line is None:
        return unseen(anchor, "no build log line with a letter in it")
    deployment_id = str(log.deployment.get("id"))
    start = before(created(log.deployment), 60)
    try:
        other_case = probe.log_lines(deployment_id, start=start, text=line.swapcase())
        lookahead = probe.log_lines(deployment_id, start=start, regex="(?=#)#")
    except InvalidRequest as exc:
        return differs(anchor, f"a `regex` with a lookahead is refused ({exc.message or exc.what})")
    if other_case:
        return differs(anchor, "`text` matches regardless of case")
    if not lookahead:
        return differs(anchor, "a `regex` with a lookahead matches nothing")
    return holds(anchor, "case-sensitive text, lookaheads accepted")


def window(probe: Probe, log: BuildLog | None) -> Finding:
    """contract: assume-log-window-max: a query over 30 days."""
    anchor = "assume-log-window-max"
    if log is None:
        return unseen(anchor, "no build log to query")
    end = datetime.now().astimezone()
    try:
        probe.log_lines(
            str(log.deployment.get("id")), start=end - timedelta(days=30), end=end, limit=1
        )
    except InvalidRequest as exc:
        return differs(anchor, f"a 30-day query is refused ({exc.message or exc.what})")
    return holds(anchor, "a 30-day query is served")


def retention(probe: Probe, oldest: JsonDict | None) -> Finding:
    """contract: assume-log-retention: the oldest build still has its log."""
    anchor = "assume-log-retention"
    if oldest is None:
        return unseen(anchor, "no deployment of the service built")
    age = _age(oldest)
    lines = read(probe, oldest).lines
    if lines:
        return holds(anchor, f"the build log of {age} ago is kept")
    return differs(anchor, f"the build log of {age} ago is gone")


def _age(deployment: JsonDict) -> str:
    moment = created(deployment)
    if moment is None:
        return "an unknown time"
    days = (datetime.now(moment.tzinfo) - moment).total_seconds() / 86400
    return f"{days:.1f} days"


def runtime_lines(probe: Probe, active: JsonDict | None) -> Finding:
    """contract: assume-runtime-log-lines, in the active deployment's first hour."""
    anchor = "assume-runtime-log-lines"
    if active is None:
        return unseen(anchor, "the service has no active deployment")
    start = before(created(active), 60)
    try:
        lines = probe.log_lines(
            str(active.get("id")), kind="runtime", start=start, end=start + timedelta(hours=1)
        )
    except CachebustError as exc:
        return unseen(anchor, f"its runtime log cannot be read: {exc.what}")
    if not lines:
        return unseen(anchor, "no runtime log for the active deployment's start (expired?)")
    messages = {str(line.get("msg")) for line in lines}
    missing = [text for text in RUNTIME_TEXTS if text not in messages]
    if not missing:
        return holds(anchor, "both texts found")
    return differs(anchor, f"not found: {'; '.join(repr(t) for t in missing)}")


def pushes(probe: Probe, deployments: Sequence[JsonDict]) -> list[Finding]:
    """contract: assume-push-uses-cache, and api-git-sha, on push-started deployments."""
    pushed = [d for d in deployments if _trigger(d) == "GIT"]
    if not pushed:
        why = "no push-created deployment (metadata.trigger.type GIT) on the service"
        return [unseen("assume-push-uses-cache", why), unseen("api-git-sha", why)]
    without = [d for d in pushed if not ((d.get("definition") or {}).get("git") or {}).get("sha")]
    sha = (
        differs("api-git-sha", f"{len(without)} of {len(pushed)} name no `definition.git.sha`")
        if without
        else holds("api-git-sha", f"every push-created deployment ({len(pushed)}) names it")
    )
    uses = [cache_use(read(probe, d)) for d in pushed[:5]]
    known = [use for use in uses if use is not None]
    anchor = "assume-push-uses-cache"
    if not known:
        return [unseen(anchor, "no readable BuildKit log of a push-created build"), sha]
    if all(known):
        return [holds(anchor, f"every push build read ({len(known)}) used the cache"), sha]
    cached = sum(known)
    return [
        differs(anchor, f"{len(known) - cached} of {len(known)} push builds used no cache"),
        sha,
    ]


def _trigger(deployment: JsonDict) -> str:
    metadata = deployment.get("metadata")
    trigger = metadata.get("trigger") if isinstance(metadata, dict) else None
    return str(trigger.get("type", "")) if isinstance(trigger, dict) else ""


def query_shape(probe: Probe) -> Finding:
    """contract: api-logs-query: every log reply has `pagination.has_more`."""
    anchor = "api-logs-query"
    replies = [r for r in probe.replies if r.model == "QueryLogsReply"]
    if not replies:
        return unseen(anchor, "no log was queried")
    bad = [
        r
        for r in replies
        if not isinstance(r.body.get("pagination"), dict)
        or not isinstance(r.body["pagination"].get("has_more"), bool)
    ]
    if bad:
        return differs(anchor, f"{len(bad)} of {len(replies)} replies lack pagination.has_more")
    return holds(anchor, f"{len(replies)} replies")
