"""Follow a deployment to its end, asking the API as rarely as the stage allows.

Terminal statuses: success is HEALTHY or SLEEPING; failure is ERROR, ERRORING,
DEGRADED, UNHEALTHY, CANCELED, and STOPPED or STASHED, where a deployment that no
longer runs ends (contract: assume-previous-deployment-end). Everything else,
SCHEDULED, CANCELING, STOPPING and a missing status included, is still in progress.
The official CLI's `--wait` stops early, as a success, on SCHEDULED, CANCELING,
STOPPING and STASHED (contract: cli-wait-classification); no source describes any
status (contract: api-deployment-status).

The poll interval adapts: short right after a change, then backing off, up to 10 s
while the image builds (PROVISIONING, the long stage) and 3 s elsewhere, so the end
is reported within a few seconds while a long build costs a few requests a minute.

```python
for change in watch_deployment(client, deployment.id, timeout=600):
    print(change.line())
```
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, Protocol

from cachebust._clock import Clock
from cachebust._durations import format_duration
from cachebust._errors import (
    APIError,
    AuthError,
    DeploymentFailed,
    NetworkError,
    NotFound,
    WaitTimedOut,
)
from cachebust._models import BUILDING, FAILURE, RETIRED, SUCCESS, BuildStage, Deployment


class DeploymentSource(Protocol):
    """What a watch reads from: `Client` is one."""

    clock: Clock

    def get_deployment(self, deployment_id: str) -> Deployment: ...


class PollInterval(Protocol):
    """Decides how long to sleep before the next poll."""

    def next(self, status: str, changed: bool) -> float: ...


@dataclass(slots=True)
class AdaptiveInterval:
    """`first` seconds after a change, growing by `growth` per unchanged poll up to a cap."""

    first: float = 1.0
    growth: float = 1.5
    build_cap: float = 10.0
    cap: float = 3.0
    _current: float = 0.0

    def next(self, status: str, changed: bool) -> float:
        self._current = self.first if changed else self._current * self.growth
        return min(self._current, self.build_cap if status == BUILDING else self.cap)


@dataclass(frozen=True, slots=True)
class FixedInterval:
    """The official CLI's loop: a poll every `seconds` (2), whatever the stage."""

    seconds: float = 2.0

    def next(self, status: str, changed: bool) -> float:
        return self.seconds


@dataclass(frozen=True, slots=True)
class Change:
    """A new status or build stage, seen `elapsed` seconds after watching began.

    ```python
    for change in client.watch(deployment.id, timeout=600):
        print(change.line())  # "PROVISIONING (stage build: RUNNING)"
    ```
    """

    deployment: Deployment
    elapsed: float
    #: API requests made so far by this watch.
    polls: int
    status_changed: bool
    stage_changed: bool

    @property
    def status(self) -> str:
        return self.deployment.status or "(no status)"

    @property
    def stage(self) -> BuildStage | None:
        return self.deployment.stage

    @property
    def finished(self) -> bool:
        return self.deployment.status in SUCCESS | FAILURE

    def line(self) -> str:
        """One plain, stable line: the status, plus the build stage when that changed."""
        stage = self.stage
        if self.stage_changed and stage is not None:
            return f"{self.status} (stage {stage.name}: {stage.status})"
        return self.status

    def to_json(self) -> dict[str, Any]:
        stage = self.stage
        return {
            "event": "status",
            "deployment_id": self.deployment.id,
            "status": self.deployment.status or None,
            "stage": stage.name if stage else None,
            "stage_status": stage.status if stage else None,
            "elapsed": round(self.elapsed, 1),
            "finished": self.finished,
            "commit": self.deployment.commit or None,
        }


def watch_deployment(
    client: DeploymentSource,
    deployment_id: str,
    *,
    timeout: float | None = None,
    interval: PollInterval | None = None,
    target: str = "",
    waited: float = 0.0,
) -> Iterator[Change]:
    """Yield each change of the deployment until it ends; return on success.

    Raises DeploymentFailed (after yielding the failure status) or WaitTimedOut.
    `target` is the APP/SERVICE named in the errors' suggested commands (default:
    the deployment's service id). `waited` is how much of `timeout` the caller has
    already spent waiting on this deployment (as `cachebust rebuild --logs` does).
    """
    clock = client.clock
    poller = interval or AdaptiveInterval()
    start = clock.monotonic() - waited
    seen: tuple[str, BuildStage | None] | None = None
    polls = 0
    while True:
        deployment = _read(client, deployment_id)
        polls += 1
        now = clock.monotonic()
        state = (deployment.status, deployment.stage)
        changed = state != seen
        if changed:
            yield Change(
                deployment,
                elapsed=now - start,
                polls=polls,
                status_changed=seen is None or seen[0] != state[0],
                # On the first line a finished build is old news; only a running one is shown.
                stage_changed=deployment.building if seen is None else seen[1] != state[1],
            )
            seen = state
        if deployment.status in SUCCESS:
            return
        where = target or deployment.service_id or "APP/SERVICE"
        if deployment.status in FAILURE:
            raise _failed(deployment, where)
        delay = poller.next(deployment.status, changed)
        if timeout is not None:
            left = start + timeout - now
            if left <= 0:
                raise _timed_out(deployment, where, timeout)
            delay = min(delay, left)
        clock.sleep(delay)


def _read(client: DeploymentSource, deployment_id: str) -> Deployment:
    """The deployment now; a read that kept failing says how to resume, not to start over."""
    try:
        return client.get_deployment(deployment_id)
    except (APIError, NetworkError) as exc:
        if isinstance(exc, AuthError | NotFound):
            raise
        exc.fix = (
            f"Deployment {deployment_id} goes on at Koyeb whatever happened here: once the API "
            f"answers again, resume following it with `cachebust watch {deployment_id}`."
        )
        raise


def logs_command(target: str, deployment_id: str, kind: str = "build") -> str:
    """The `cachebust logs` command that shows a deployment's build or runtime logs."""
    return f"cachebust logs {target} --type {kind} --deployment {deployment_id}"


def _failed(deployment: Deployment, target: str) -> DeploymentFailed:
    if deployment.status in RETIRED:
        return _retired(deployment, target)
    built = any(s.status == "COMPLETED" for s in deployment.stages) and not any(
        s.status == "FAILED" for s in deployment.stages
    )
    said = " ".join(deployment.messages)
    fix = f"Read the build logs with `{logs_command(target, deployment.id)}`"
    if built:
        runtime = logs_command(target, deployment.id, "runtime")
        fix += f"; the build finished, so read the runtime logs too, with `{runtime}`"
    return DeploymentFailed(
        what=f"Deployment {deployment.id} ended in status {deployment.status}.",
        why=f"Koyeb reports {deployment.status}" + (f": {said}" if said else "."),
        fix=fix + ".",
        deployment_id=deployment.id,
        status=deployment.status,
    )


def _retired(deployment: Deployment, target: str) -> DeploymentFailed:
    """A deployment that no longer runs, usually because a newer one replaced it."""
    return DeploymentFailed(
        what=f"Deployment {deployment.id} is {deployment.status}: it no longer runs.",
        why=f"Koyeb reports {deployment.status}, where a deployment ends once a newer one "
        "replaced it or the service stopped; it will not become HEALTHY again.",
        fix=f"See which deployment runs now with `cachebust status {target}`, and follow "
        f"the newest with `cachebust watch {target}`.",
        deployment_id=deployment.id,
        status=deployment.status,
    )


def _timed_out(deployment: Deployment, target: str, timeout: float) -> WaitTimedOut:
    status = deployment.status or "without a status"
    return WaitTimedOut(
        what=f"Deployment {deployment.id} is still {status} after {format_duration(timeout)}.",
        why="The wait's --timeout ran out before it became HEALTHY; it keeps going on Koyeb.",
        fix=f"Keep watching with `cachebust watch {deployment.id}`, or read its build logs "
        f"with `{logs_command(target, deployment.id)}`.",
        deployment_id=deployment.id,
        status=deployment.status,
    )
