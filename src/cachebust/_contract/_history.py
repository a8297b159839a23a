"""What a service's past deployments, and the account's objects, show without changing
anything: how replaced deployments end, what ids point at, statuses, errors, nulls."""

from __future__ import annotations

import itertools
import uuid
from collections.abc import Iterable, Sequence
from typing import Any

from cachebust._contract._findings import Finding, differs, holds, unseen
from cachebust._contract._probe import JsonDict, Probe, created, oldest_first
from cachebust._errors import InvalidRequest, NotFound
from cachebust._models import FAILURE, IN_PROGRESS, RETIRED, DeploymentStatus, parse_time

#: cachebust's --timeout default, which a deployment should end well within.
WAIT_DEFAULT = 600.0
_STATUSES = frozenset(DeploymentStatus)


def previous_end(deployments: Sequence[JsonDict], service: JsonDict) -> Finding:
    """contract: assume-previous-deployment-end: how once-healthy deployments that are
    neither active nor latest ended."""
    anchor = "assume-previous-deployment-end"
    current = {service.get("active_deployment_id"), service.get("latest_deployment_id")}
    replaced = [
        str(d.get("status"))
        for d in deployments
        if d.get("succeeded_at") and d.get("id") not in current
    ]
    if not replaced:
        return unseen(anchor, "the service has no older deployment that was once healthy")
    counts = {status: replaced.count(status) for status in sorted(set(replaced))}
    said = ", ".join(f"{n} {status}" for status, n in counts.items())
    if set(counts) == {"STOPPED"}:
        return holds(anchor, said)
    return differs(anchor, f"replaced deployments ended {said}")


def failed_keeps_active(deployments: Sequence[JsonDict], service: JsonDict) -> Finding:
    """contract: assume-failed-keeps-active, when the latest deployment failed."""
    anchor = "assume-failed-keeps-active"
    by_id = {d.get("id"): d for d in deployments}
    latest = by_id.get(service.get("latest_deployment_id"))
    if latest is None or latest.get("status") not in FAILURE - RETIRED:
        return unseen(anchor, "the service's latest deployment did not fail")
    active = by_id.get(service.get("active_deployment_id"))
    if active is not None and active is not latest and active.get("status") == "HEALTHY":
        return holds(anchor, "an older deployment stays active after the latest failed")
    shown = "none" if active is None else f"{active.get('id')} ({active.get('status')})"
    return differs(anchor, f"the latest deployment failed and the active one is {shown}")


def durations(deployments: Sequence[JsonDict]) -> Finding:
    """contract: assume-durations: PENDING to HEALTHY, within the wait's default."""
    anchor = "assume-durations"
    spans = []
    for d in deployments:
        start, end = created(d), parse_time(d.get("succeeded_at"))
        if start is not None and end is not None:
            spans.append((end - start).total_seconds())
    if not spans:
        return unseen(anchor, "no deployment of the service became healthy")
    longest = max(spans)
    if longest <= WAIT_DEFAULT:
        return holds(anchor, f"the longest took {longest:.0f}s")
    return differs(
        anchor, f"a deployment took {longest:.0f}s to become healthy, over the 600s default"
    )


def parent_child(deployments: Sequence[JsonDict]) -> Finding:
    """contract: assume-parent-child"""
    anchor = "assume-parent-child"
    ordered = oldest_first(deployments)
    pairs = list(itertools.pairwise(ordered))
    if not pairs:
        return unseen(anchor, "the service has fewer than two deployments")
    wrong = [b for a, b in pairs if b.get("parent_id") != a.get("id")]
    if not wrong:
        return holds(anchor, f"{len(pairs)} deployments name the one before as parent")
    return differs(anchor, f"{len(wrong)} of {len(pairs)} name another parent than the one before")


def build_stages(deployment: JsonDict | None) -> Finding:
    """contract: assume-build-stages"""
    anchor = "assume-build-stages"
    stages = _stages(deployment)
    if deployment is None or not stages:
        return unseen(anchor, "no deployment of the service lists build stages")
    names = [str(s.get("name")) for s in stages]
    if names == ["build"]:
        return holds(anchor, "one stage, build")
    return differs(anchor, f"stages {', '.join(names)}")


def _stages(deployment: JsonDict | None) -> list[JsonDict]:
    info = (deployment or {}).get("provisioning_info")
    stages = info.get("stages") if isinstance(info, dict) else None
    return [s for s in stages or [] if isinstance(s, dict)]


def built(deployment: JsonDict) -> bool:
    """Whether the deployment lists build stages and they all completed."""
    stages = _stages(deployment)
    return bool(stages) and all(s.get("status") == "COMPLETED" for s in stages)


def service_status(service: JsonDict, deployments: Sequence[JsonDict]) -> Finding:
    """contract: assume-service-status"""
    anchor = "assume-service-status"
    by_id = {d.get("id"): d for d in deployments}
    active = by_id.get(service.get("active_deployment_id"))
    latest = by_id.get(service.get("latest_deployment_id"))
    if active is not None and active.get("status") == "HEALTHY":
        expected = "HEALTHY"
    elif latest is not None and latest.get("status") in IN_PROGRESS:
        expected = "STARTING"
    else:
        expected = "UNHEALTHY"
    status = service.get("status")
    if status == expected:
        return holds(anchor, str(status))
    return differs(anchor, f"the service is {status} where the rule gives {expected}")


def app_status(apps: Sequence[JsonDict]) -> Finding:
    """contract: assume-app-status"""
    anchor = "assume-app-status"
    if not apps:
        return unseen(anchor, "the account has no app")
    other = [f"{a.get('name')} {a.get('status')}" for a in apps if a.get("status") != "HEALTHY"]
    if not other:
        return holds(anchor, f"{len(apps)} apps HEALTHY")
    return differs(anchor, ", ".join(other[:5]))


def statuses(deployments: Iterable[JsonDict]) -> Finding:
    """contract: api-deployment-status: only the 16 values."""
    anchor = "api-deployment-status"
    seen = {str(d.get("status")) for d in deployments}
    unknown = sorted(seen - _STATUSES)
    if unknown:
        return differs(anchor, f"statuses outside the 16: {', '.join(unknown)}")
    return holds(anchor, ", ".join(sorted(seen)))


def unknown_ids(probe: Probe) -> list[Finding]:
    """contract: assume-unknown-id, and api-error-bodies on the 404."""
    anchor = "assume-unknown-id"
    missing = probe.attempt(f"/v1/deployments/{uuid.uuid4()}", None, model="GetDeploymentReply")
    if not isinstance(missing, NotFound):
        said = "a reply" if isinstance(missing, dict) else missing.what
        return [
            differs(anchor, f"an unknown deployment id answered {said}"),
            unseen("api-error-bodies", "no 404 was answered"),
        ]
    body = (
        holds("api-error-bodies", f"404 with code {missing.code}")
        if missing.status == 404 and missing.code
        else differs("api-error-bodies", "the 404 body has no `code`")
    )
    malformed = probe.attempt("/v1/deployments/not-a-uuid", None, model="GetDeploymentReply")
    if isinstance(malformed, NotFound):
        return [holds(anchor, "404 for an unknown id and for a malformed one"), body]
    said = "a 400" if isinstance(malformed, InvalidRequest) else "something else"
    return [differs(anchor, f"a malformed id answered {said}, not a 404"), body]


def any_source(probe: Probe) -> Finding:
    """contract: assume-build-builds-any-source, on the account's newest deployments."""
    anchor = "assume-build-builds-any-source"
    page = probe.get("/v1/deployments", {"limit": 100}, model="ListDeploymentsReply")
    images = [
        d
        for d in page.get("deployments") or []
        if isinstance(d, dict) and _image_only(d.get("definition"))
    ]
    if not images:
        return unseen(anchor, "no deployment of a Docker image among the account's newest 100")
    built_images = [d for d in images if _stages(d)]
    if built_images:
        return holds(anchor, f"{len(built_images)} deployments of an image list a build")
    return differs(anchor, f"{len(images)} deployments of a Docker image list no build stage")


def _image_only(definition: Any) -> bool:
    if not isinstance(definition, dict) or definition.get("git"):
        return False
    docker = definition.get("docker")
    return isinstance(docker, dict) and bool(docker.get("image"))


def nulls(probe: Probe) -> Finding:
    """contract: assume-unset-fields: no `null` in any reply read."""
    anchor = "assume-unset-fields"
    found = [(reply.path, where) for reply in probe.replies for where in _null_paths(reply.body)]
    if not found:
        return holds(anchor, f"no null in {len(probe.replies)} replies")
    path, where = found[0]
    return differs(anchor, f"{len(found)} null values, e.g. {where} in {path}")


def _null_paths(value: Any, where: str = "") -> Iterable[str]:
    if value is None:
        yield where or "(the reply)"
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _null_paths(item, f"{where}.{key}" if where else str(key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _null_paths(item, f"{where}[{index}]")
