"""How a deployment moves through its statuses as the fake's clock advances.

A new deployment gets its whole future up front: a plan of timed status
transitions, and its build and runtime log lines stamped with future times. Time
passing then only reveals them: `sync(now)` applies the due transitions, and the
log query hides lines stamped after `now`. Canceling rewrites the plan and forgets
the lines not yet written.

Timeline (simulated seconds), by default: PENDING 2 -> PROVISIONING (the build: 150
uncached, 30 from the cache, 2 with skip_build) -> SCHEDULED 5 -> ALLOCATING 10 ->
STARTING 15 -> HEALTHY, and the previously active deployment becomes STOPPED. No
source gives this order or these moments; each open point is an assumption the fake
can be switched on (contract: assume-scheduled, assume-build-status,
assume-redeploy-reply-status, assume-active-switch-at, assume-previous-deployment-end,
assume-latest-id-updated, assume-last-provisioned-at, assume-durations).
"""

from __future__ import annotations

import copy
from datetime import datetime, timedelta

from cachebust._models import DeploymentStatus as Status
from cachebust.fake._build_log import BuildScript, build_script
from cachebust.fake._ids import rfc3339
from cachebust.fake._state import (
    Build,
    BuildStep,
    Deployment,
    JsonDict,
    LogLine,
    Service,
    Store,
    Transition,
)

PENDING_SECONDS = 2.0
SKIP_BUILD_SECONDS = 2.0
SCHEDULED_SECONDS = 5.0
ALLOCATING_SECONDS = 10.0
STARTING_SECONDS = 15.0
#: When a deployment told to end CANCELED is canceled, into its build.
CANCEL_AFTER_SECONDS = 20.0
#: How long a deployment waits SCHEDULED for a builder, when that comes before the build
#: (contract: assume-scheduled).
QUEUED_SECONDS = 30.0
#: How long before its build ends a deployment leaves PROVISIONING, when the build
#: outlasts it (contract: assume-build-status): the image push, at most half the build.
OUTLAST_SECONDS = 30.0
#: How long after a redeploy the service's latest_deployment_id names it, when that is
#: delayed (contract: assume-latest-id-updated).
LATEST_DELAY_SECONDS = 30.0

#: The statuses the API lets a caller cancel from (contract: api-cancel-window).
CANCELABLE = frozenset({Status.PENDING, Status.PROVISIONING, Status.SCHEDULED})
#: Statuses a deployment only leaves through its plan (so a newer one supersedes it).
IN_PROGRESS = frozenset(
    {Status.PENDING, Status.PROVISIONING, Status.SCHEDULED, Status.ALLOCATING, Status.STARTING}
)

_PORT = 8000


def create_deployment(
    store: Store,
    service: Service,
    *,
    now: datetime,
    cached: bool,
    skip_build: bool,
    sha: str,
    deployment_group: str | None = None,
    trigger: JsonDict | None = None,
) -> Deployment:
    """Start a deployment of `service`'s current definition; it ends as the next queued outcome.

    `trigger` is the `metadata.trigger` of a deployment a git push started; its
    definition then names the commit in `git.sha`, which the API sets on every
    push-created deployment (contract: api-git-sha).
    """
    outcome = store.outcomes.popleft() if store.outcomes else "healthy"
    older = sorted(store.deployments_of(service.id), key=lambda d: d.created_at)
    for previous in older:
        if previous.status in IN_PROGRESS:
            # contract: assume-supersede
            abort(store, previous, now, "Canceled: superseded by a newer deployment.")
    # The service's previous deployment, even while latest_deployment_id lags behind.
    parent = older[-1] if older else None
    definition = copy.deepcopy(service.definition)
    if trigger is not None and isinstance(definition.get("git"), dict):
        definition["git"]["sha"] = sha
    deployment = Deployment(
        id=store.ids.uuid(),
        app_id=service.app_id,
        service_id=service.id,
        created_at=now,
        updated_at=now,
        definition=definition,
        version=1,
        sha=sha,
        skip_build=skip_build,
        instance_id=store.ids.uuid(),
        build=None,
        plan=[],
        parent_id=parent.id if parent else None,
        deployment_group=deployment_group,
        trigger=trigger,
    )
    if parent:
        parent.child_id = deployment.id  # contract: assume-parent-child
    store.deployments[deployment.id] = deployment
    if store.assumed.holds("latest-id-updated", "delayed"):
        service.pending_latest = (now + timedelta(seconds=LATEST_DELAY_SECONDS), deployment.id)
    else:
        service.latest_deployment_id = deployment.id
    service.version += 1
    service.updated_at = now
    _plan(store, deployment, service, outcome, cached)
    _apply_due(store, deployment, now)
    return deployment


def _plan(store: Store, dep: Deployment, service: Service, outcome: str, cached: bool) -> None:
    assumed = store.assumed
    pending = 0.0 if assumed.holds("redeploy-reply-status", "PROVISIONING") else PENDING_SECONDS
    plan: list[Transition] = []
    left_pending = dep.created_at + timedelta(seconds=pending)
    scheduled = assumed.value("scheduled")
    if scheduled == "before-build":
        plan.append(Transition(left_pending, "SCHEDULED"))
        provisioning = left_pending + timedelta(seconds=QUEUED_SECONDS)
    else:
        provisioning = left_pending
    plan.append(Transition(provisioning, "PROVISIONING"))
    if dep.skip_build:
        dep.image_from = service.last_provisioned_deployment_id
        built = provisioning + timedelta(seconds=SKIP_BUILD_SECONDS)
        leaves = built
        if outcome == "error":
            # Nothing to build, so the failure is the reused image failing to start.
            why = "Instance exited with code 1 before becoming ready."
            dep.plan = [*plan, Transition(built, "ERRORING", (why,)), _end(built, "ERROR", why)]
            return
    else:
        script = build_script(
            store.settings, cached=cached, outcome=outcome, digest=store.ids.hex(64)
        )
        _write_build(store, dep, provisioning, script)
        built = provisioning + timedelta(seconds=script.duration)
        if script.failure:
            dep.plan = [
                *plan,
                Transition(built, "ERRORING", (script.failure,)),
                _end(built, "ERROR", script.failure),
            ]
            return
        leaves = built
        if assumed.holds("build-status", "outlasts-provisioning"):
            leaves = built - timedelta(seconds=min(OUTLAST_SECONDS, script.duration / 2))
        if outcome not in ("stuck", "canceled") and assumed.holds(
            "last-provisioned-at", "build-end"
        ):
            plan.append(Transition(built, "", provisioned=True))
    if outcome == "stuck":
        dep.plan = plan
        return
    if outcome == "canceled":
        at = provisioning + timedelta(seconds=CANCEL_AFTER_SECONDS)
        dep.plan = plan
        abort(store, dep, at, "Canceled by the user.")
        return
    if scheduled == "after-build":
        plan.append(Transition(leaves, "SCHEDULED"))
        allocating = built + timedelta(seconds=SCHEDULED_SECONDS)
    elif scheduled == "absent" and leaves == built:
        # The wait SCHEDULED stands for elsewhere is spent PROVISIONING.
        allocating = built + timedelta(seconds=SCHEDULED_SECONDS)
    else:
        allocating = leaves
    starting = allocating + timedelta(seconds=ALLOCATING_SECONDS)
    ready = starting + timedelta(seconds=STARTING_SECONDS)
    if outcome == "unhealthy":
        why = f"Instance is unhealthy: TCP health check failed on port {_PORT}."
        end = Transition(ready, "UNHEALTHY", (why,))
    else:
        end = Transition(ready, "HEALTHY")
    dep.plan = sorted(
        [
            *plan,
            Transition(allocating, "ALLOCATING"),
            Transition(starting, "STARTING"),
            end,
        ],
        key=lambda t: t.at,
    )
    _write_runtime(store, dep, allocating, starting, ready, healthy=outcome != "unhealthy")


def _end(after: datetime, status: str, why: str) -> Transition:
    return Transition(after + timedelta(seconds=1), status, (why,))


def _write_build(store: Store, dep: Deployment, start: datetime, script: BuildScript) -> None:
    def at(offset: float | None) -> datetime | None:
        return None if offset is None else start + timedelta(seconds=offset)

    steps = [
        BuildStep(s.name, start + timedelta(seconds=s.start), at(s.end), s.cached, s.failed)
        for s in script.steps
    ]
    stuck = bool(steps) and steps[-1].finished_at is None
    dep.build = Build(
        started_at=start,
        finished_at=None if stuck else at(script.duration),
        result="FAILED" if script.failure else "COMPLETED",
        steps=steps,
        messages=[script.failure] if script.failure else [],
    )
    prefixed = store.assumed.holds("build-log-format", "prefixed")
    for line in script.lines:
        moment = start + timedelta(seconds=line.offset)
        # contract: assume-build-log-format; the prefix is a timestamp, as many log
        # pipelines write one.
        msg = f"{rfc3339(moment)} {line.msg}" if prefixed else line.msg
        store.add_log(_line(dep, moment, msg, "build"))


def _write_runtime(
    store: Store,
    dep: Deployment,
    allocating: datetime,
    starting: datetime,
    ready: datetime,
    *,
    healthy: bool,
) -> None:
    # contract: assume-runtime-log-lines
    lines = [
        (allocating, "koyeb", "Instance created. Preparing to start..."),
        (starting, "koyeb", "Instance is starting. Propagating network configuration..."),
        (starting + timedelta(seconds=3), "stdout", f"Listening on 0.0.0.0:{_PORT}"),
    ]
    if healthy:
        lines.append((ready, "koyeb", "Instance is healthy. All health checks are passing."))
    else:
        lines.append((ready, "koyeb", f"TCP health check failed on port {_PORT}."))
        lines.append((ready, "koyeb", "Instance is unhealthy. Health checks are failing."))
    for at, stream, msg in lines:
        store.add_log(_line(dep, at, msg, "runtime", stream=stream, instance=True))


def _line(
    dep: Deployment,
    at: datetime,
    msg: str,
    kind: str,
    *,
    stream: str = "stdout",
    instance: bool = False,
) -> LogLine:
    return LogLine(
        created_at=at,
        msg=msg,
        type=kind,
        stream=stream,
        app_id=dep.app_id,
        service_id=dep.service_id,
        deployment_id=dep.id,
        instance_id=dep.instance_id if instance else None,
    )


def abort(store: Store, dep: Deployment, at: datetime, why: str) -> None:
    """Cancel `dep` at `at`: CANCELING, then CANCELED a second later; its build is ABORTED
    (contract: assume-cancel-sequence)."""
    dep.plan = [t for t in dep.plan if t.at < at]
    dep.plan += [Transition(at, "CANCELING", (why,)), _end(at, "CANCELED", why)]
    build = dep.build
    if build and (build.finished_at is None or build.finished_at > at):
        build.result = "ABORTED"
        build.finished_at = at
        build.messages = [why]
        build.steps = [s for s in build.steps if s.started_at <= at]
        for step in build.steps:
            if step.finished_at is None or step.finished_at > at:
                step.finished_at = at
    store.drop_logs_after(dep.id, at)


def sync(store: Store, now: datetime) -> None:
    """Apply, in time order, every planned transition due at `now`."""
    due = sorted(
        ((t.at, dep.id, t) for dep in store.deployments.values() for t in dep.plan if t.at <= now),
        key=lambda item: (item[0], item[1]),
    )
    for _, dep_id, transition in due:
        dep = store.deployments[dep_id]
        dep.plan.remove(transition)
        _apply(store, dep, transition)
    for service in store.services.values():
        if service.pending_latest is not None and service.pending_latest[0] <= now:
            service.latest_deployment_id = service.pending_latest[1]
            service.pending_latest = None


def _apply_due(store: Store, dep: Deployment, now: datetime) -> None:
    """Apply `dep`'s transitions due already (a plan that starts at once)."""
    for transition in [t for t in dep.plan if t.at <= now]:
        dep.plan.remove(transition)
        _apply(store, dep, transition)


def _apply(store: Store, dep: Deployment, transition: Transition) -> None:
    at, status = transition.at, transition.status
    service = store.services[dep.service_id]
    if transition.provisioned:
        service.last_provisioned_deployment_id = dep.id
        return
    dep.status = status
    dep.updated_at = at
    if transition.messages:
        dep.messages = list(transition.messages)
    assumed = store.assumed
    if status == "ALLOCATING":
        dep.allocated_at = at
    elif status == "STARTING":
        dep.started_at = at
        if assumed.holds("active-switch-at", "starting"):
            _take_over(service, dep)
    elif status == "HEALTHY":
        dep.succeeded_at = at
        if dep.build is not None and assumed.holds("last-provisioned-at", "healthy"):
            service.last_provisioned_deployment_id = dep.id
        _take_over(service, dep)
        previous = store.deployments.get(dep.replaces or "")
        if previous is not None:
            # contract: assume-previous-deployment-end
            previous.status = assumed.value("previous-deployment-end")
            previous.updated_at = previous.terminated_at = at
            store.add_log(
                _line(previous, at, "Instance stopped.", "runtime", stream="koyeb", instance=True)
            )
        service.updated_at = at
    elif status == "UNHEALTHY" and service.active_deployment_id == dep.id and dep.replaces:
        # A deployment that fails gives the service back to the one it replaced
        # (contract: assume-failed-keeps-active).
        service.active_deployment_id = dep.replaces
    if status in ("ERROR", "CANCELED"):
        dep.terminated_at = at


def _take_over(service: Service, dep: Deployment) -> None:
    """`dep` becomes the service's active deployment (contract: assume-active-switch-at)."""
    if service.active_deployment_id != dep.id:
        dep.replaces = service.active_deployment_id
        service.active_deployment_id = dep.id
