"""What one uncached redeploy shows: the reply, when the service's ids move to it, the
order of its statuses against its build, and whether its build used the cache.

The probe polls the service, then the deployment, every second: reading the service
first means a deployment seen HEALTHY after the service named it active cannot have
been named active only at HEALTHY by mistake.
"""

from __future__ import annotations

from dataclasses import dataclass

from cachebust._client import Client
from cachebust._contract._build_logs import cache_use, read
from cachebust._contract._findings import Finding, differs, holds, unseen
from cachebust._contract._probe import JsonDict, Probe
from cachebust._models import FAILURE, SUCCESS, Target

#: Seconds between two polls: short enough to see a status that lasts a few seconds.
POLL_SECONDS = 1.0
#: Seconds after which the probe stops following the redeploy.
GIVE_UP_SECONDS = 30 * 60.0

ANCHORS = (
    "assume-redeploy-reply-status",
    "assume-latest-id-updated",
    "assume-scheduled",
    "assume-build-status",
    "assume-active-switch-at",
    "assume-last-provisioned-at",
    "assume-redeploy-cache",
)


@dataclass(frozen=True, slots=True)
class Sample:
    """One poll: the deployment's status and stage statuses, and what the service named."""

    status: str
    stages: tuple[str, ...]
    active: bool
    provisioned: bool


def without_redeploy() -> list[Finding]:
    why = "needs --redeploy APP/SERVICE (one uncached redeploy)"
    return [unseen(anchor, why) for anchor in ANCHORS]


def observe(probe: Probe, client: Client, target: Target) -> list[Finding]:
    """Redeploy `target` once, without the cache, and follow it to its end."""
    service_path = f"/v1/services/{target.service_id}"
    deployment = client.redeploy(target.service_id, use_cache=False)
    right_after = probe.object(service_path, "service", model="GetServiceReply")
    path = f"/v1/deployments/{deployment.id}"
    samples: list[Sample] = []
    clock = client.clock
    started = clock.monotonic()
    while True:
        service = probe.object(service_path, "service", model="GetServiceReply")
        current = probe.object(path, "deployment", model="GetDeploymentReply")
        samples.append(_sample(service, current, deployment.id))
        if samples[-1].status in SUCCESS | FAILURE:
            break
        if clock.monotonic() - started > GIVE_UP_SECONDS:
            break
        clock.sleep(POLL_SECONDS)
    cached = cache_use(read(probe, current))
    return [
        _reply_status(deployment.status),
        _latest_id(right_after, deployment.id),
        _scheduled(samples),
        _build_status(samples),
        _active_switch(samples),
        _last_provisioned(samples),
        _cache(cached),
    ]


def _sample(service: JsonDict, deployment: JsonDict, deployment_id: str) -> Sample:
    info = deployment.get("provisioning_info")
    stages = info.get("stages") if isinstance(info, dict) else None
    return Sample(
        status=str(deployment.get("status", "")),
        stages=tuple(str(s.get("status")) for s in stages or [] if isinstance(s, dict)),
        active=service.get("active_deployment_id") == deployment_id,
        provisioned=service.get("last_provisioned_deployment_id") == deployment_id,
    )


def _reply_status(status: str) -> Finding:
    anchor = "assume-redeploy-reply-status"
    if status == "PENDING":
        return holds(anchor, "PENDING")
    return differs(anchor, f"the reply shows the new deployment {status or 'without a status'}")


def _latest_id(service: JsonDict, deployment_id: str) -> Finding:
    anchor = "assume-latest-id-updated"
    if service.get("latest_deployment_id") == deployment_id:
        return holds(anchor, "set before the reply")
    return differs(anchor, "right after the reply, the service still names another latest")


def _statuses(samples: list[Sample]) -> list[str]:
    seen: list[str] = []
    for sample in samples:
        if not seen or seen[-1] != sample.status:
            seen.append(sample.status)
    return seen


def _scheduled(samples: list[Sample]) -> Finding:
    anchor = "assume-scheduled"
    seen = _statuses(samples)
    path = " > ".join(seen)
    if seen[-1] != "HEALTHY":
        return unseen(anchor, f"the redeploy did not become healthy: {path}")
    if "SCHEDULED" not in seen:
        return differs(anchor, f"no SCHEDULED seen in a poll every second: {path}")
    if "PROVISIONING" in seen and seen.index("SCHEDULED") < seen.index("PROVISIONING"):
        return differs(anchor, f"SCHEDULED before the build: {path}")
    return holds(anchor, path)


def _build_status(samples: list[Sample]) -> Finding:
    anchor = "assume-build-status"
    running = [s for s in samples if "RUNNING" in s.stages]
    if not running:
        return unseen(anchor, "no poll saw the build running")
    outside = sorted({s.status for s in running if s.status != "PROVISIONING"})
    if outside:
        return differs(anchor, f"the build stage still ran in {', '.join(outside)}")
    return holds(anchor, "the build ran only while PROVISIONING")


def _active_switch(samples: list[Sample]) -> Finding:
    anchor = "assume-active-switch-at"
    first = next((s for s in samples if s.active), None)
    if first is None:
        return unseen(anchor, "the service never named the redeploy active")
    if first.status == "HEALTHY":
        return holds(anchor, "at HEALTHY")
    return differs(anchor, f"named active while {first.status}")


def _last_provisioned(samples: list[Sample]) -> Finding:
    anchor = "assume-last-provisioned-at"
    first = next((s for s in samples if s.provisioned), None)
    if first is None:
        return unseen(anchor, "the service never named the redeploy last provisioned")
    if first.status != "HEALTHY":
        return holds(anchor, f"named while {first.status}, after its build")
    return differs(anchor, "named last provisioned only once HEALTHY")


def _cache(cached: bool | None) -> Finding:
    anchor = "assume-redeploy-cache"
    if cached is None:
        return unseen(anchor, "the redeploy's build log has no BuildKit step to read")
    if cached:
        return differs(anchor, "the redeploy with use_cache: false took steps from the cache")
    return holds(anchor, "no CACHED step after use_cache: false")
