"""The fake organization's state: plain records in dicts, and the log store.

Handlers read and change these records under the fake's lock; `render` turns
them into API replies and `lifecycle` moves deployments along the clock.
"""

from __future__ import annotations

import bisect
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import Any

from cachebust._config import Settings
from cachebust.fake._assumptions import Assumed
from cachebust.fake._ids import IdFactory

#: Outcomes a deployment can be told to reach; "healthy" is the normal one.
OUTCOMES = ("healthy", "error", "unhealthy", "canceled", "stuck")

#: A JSON object the fake builds or keeps (replies, stored definitions): mutable.
JsonDict = dict[str, Any]


@dataclass
class App:
    id: str
    name: str
    created_at: datetime
    updated_at: datetime
    domain_id: str
    domain: str
    version: int = 1


@dataclass
class Service:
    id: str
    name: str
    app_id: str
    created_at: datetime
    updated_at: datetime
    #: The definition the next deployment starts from (a DeploymentDefinition body).
    definition: JsonDict
    #: The commit the branch points at: what a redeploy without `sha` builds.
    head_sha: str
    life_cycle: JsonDict | None = None
    version: int = 1
    active_deployment_id: str | None = None
    latest_deployment_id: str | None = None
    last_provisioned_deployment_id: str | None = None
    #: When `latest_deployment_id` is to name a new deployment, and which (contract:
    #: assume-latest-id-updated).
    pending_latest: tuple[datetime, str] | None = None


@dataclass
class BuildStep:
    """One BuildKit step; also listed in the deployment's provisioning_info."""

    name: str
    started_at: datetime
    #: None while the step never ends (the "stuck" outcome).
    finished_at: datetime | None
    cached: bool
    failed: bool = False


@dataclass
class Build:
    started_at: datetime
    #: None while the build never ends (the "stuck" outcome).
    finished_at: datetime | None
    #: The stage status once finished: COMPLETED, FAILED or ABORTED.
    result: str
    steps: list[BuildStep]
    messages: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Transition:
    """A change planned for `at`: a new `status`, or with `provisioned`, the moment the
    deployment becomes the service's last provisioned one (its status unchanged)."""

    at: datetime
    status: str
    messages: tuple[str, ...] = ()
    provisioned: bool = False


@dataclass
class Deployment:
    id: str
    app_id: str
    service_id: str
    created_at: datetime
    definition: JsonDict
    version: int
    sha: str
    skip_build: bool
    instance_id: str
    build: Build | None
    #: Transitions still to come, earliest first; `lifecycle.sync` applies the due ones.
    plan: list[Transition]
    parent_id: str | None = None
    child_id: str | None = None
    deployment_group: str | None = None
    #: For skip_build deployments: the deployment whose image is reused.
    image_from: str | None = None
    #: `metadata.trigger` of a deployment a git push started (None for the others).
    trigger: JsonDict | None = None
    #: The active deployment this one took over from, ended once this one is HEALTHY.
    replaces: str | None = None
    status: str = "PENDING"
    messages: list[str] = field(default_factory=list)
    updated_at: datetime | None = None
    allocated_at: datetime | None = None
    started_at: datetime | None = None
    succeeded_at: datetime | None = None
    terminated_at: datetime | None = None


@dataclass(frozen=True, order=True)
class LogLine:
    created_at: datetime
    msg: str
    type: str  # "build" or "runtime"
    stream: str  # "stdout", "stderr" or "koyeb"
    app_id: str
    service_id: str
    deployment_id: str
    instance_id: str | None = None


@dataclass(frozen=True)
class User:
    id: str
    email: str
    name: str
    created_at: datetime


class Store:
    """Everything one fake organization holds."""

    def __init__(
        self,
        settings: Settings,
        ids: IdFactory,
        organization_id: str,
        user: User,
        assumed: Assumed | None = None,
    ):
        self.settings = settings
        self.assumed = assumed if assumed is not None else Assumed()
        self.ids = ids
        self.organization_id = organization_id
        self.user = user
        self.apps: dict[str, App] = {}
        self.services: dict[str, Service] = {}
        self.deployments: dict[str, Deployment] = {}
        #: Kept sorted by time; each timestamp is unique so log pagination never skips a line.
        self.logs: list[LogLine] = []
        self._log_times: set[datetime] = set()
        self.outcomes: deque[str] = deque()
        #: The app and service `[tool.cachebust]` names (set by the seed).
        self.app_id = ""
        self.service_id = ""
        #: The deployments redeploy requests started, oldest first.
        self.redeployed: list[str] = []
        #: The most redeploys in flight at once (see `FakeKoyeb.redeploys_in_flight_peak`).
        self.redeploy_peak = 0

    def add_log(self, line: LogLine) -> None:
        """Store a line, a microsecond after any line at the same time (contract:
        assume-log-timestamps-unique)."""
        at = line.created_at
        while at in self._log_times:
            at += timedelta(microseconds=1)
        self._log_times.add(at)
        if at != line.created_at:
            line = replace(line, created_at=at)
        bisect.insort(self.logs, line)

    def drop_logs_after(self, deployment_id: str, moment: datetime) -> None:
        """Forget a deployment's lines not yet written at `moment` (it was canceled)."""
        keep = []
        for line in self.logs:
            if line.deployment_id == deployment_id and line.created_at > moment:
                self._log_times.discard(line.created_at)
            else:
                keep.append(line)
        self.logs = keep

    def deployments_of(self, service_id: str) -> Iterator[Deployment]:
        return (d for d in self.deployments.values() if d.service_id == service_id)

    def last_built(self, service: Service) -> Deployment | None:
        """The deployment whose successful build a skip_build deployment reuses."""
        found = service.last_provisioned_deployment_id
        return self.deployments.get(found) if found else None


def queue_outcome(store: Store, outcome: str) -> None:
    """Make the next new deployment end as `outcome` (one of OUTCOMES)."""
    if outcome not in OUTCOMES:
        raise ValueError(f"outcome must be one of {', '.join(OUTCOMES)}, not {outcome!r}")
    store.outcomes.append(outcome)
