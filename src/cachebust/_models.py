"""The API's objects as small read-only records, built from JSON and tolerant of change.

Only the fields the guide needs are kept; unknown fields are ignored and missing
ones get empty defaults, because the API adds fields over time (contract:
api-fields-evolve).

```python
deployment = Deployment.from_json({"id": "...", "status": "HEALTHY"})
deployment.status  # "HEALTHY"
```
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any, Literal

#: A JSON object as parsed from an answer: read, never changed.
JsonObject = Mapping[str, Any]
#: The two kinds of log the API keeps: the image build's and the running instances'.
LogType = Literal["build", "runtime"]


class DeploymentStatus(StrEnum):
    """A deployment's `status`: the API's `Deployment.Status` values, in its order
    (contract: api-deployment-status). The document describes none of them."""

    PENDING = "PENDING"
    PROVISIONING = "PROVISIONING"
    SCHEDULED = "SCHEDULED"
    CANCELING = "CANCELING"
    CANCELED = "CANCELED"
    ALLOCATING = "ALLOCATING"
    STARTING = "STARTING"
    HEALTHY = "HEALTHY"
    DEGRADED = "DEGRADED"
    UNHEALTHY = "UNHEALTHY"
    STOPPING = "STOPPING"
    STOPPED = "STOPPED"
    ERRORING = "ERRORING"
    ERROR = "ERROR"
    STASHED = "STASHED"
    SLEEPING = "SLEEPING"


#: The statuses `cachebust watch` ends on with success, and with a failure (exit 5); it
#: keeps waiting on every other one (contract: cli-wait-classification says how the
#: official CLI's --wait differs).
SUCCESS = frozenset({DeploymentStatus.HEALTHY, DeploymentStatus.SLEEPING})
#: Where a deployment that no longer runs ends: replaced by a newer one, STOPPED or
#: STASHED (contract: assume-previous-deployment-end). A watch ends on either as on a
#: failure: the deployment it follows does not serve, and no source says it ever will.
RETIRED = frozenset({DeploymentStatus.STOPPED, DeploymentStatus.STASHED})
FAILURE = (
    frozenset(
        {
            DeploymentStatus.ERROR,
            DeploymentStatus.ERRORING,
            DeploymentStatus.DEGRADED,
            DeploymentStatus.UNHEALTHY,
            DeploymentStatus.CANCELED,
        }
    )
    | RETIRED
)
#: The statuses of a deployment on its way to HEALTHY, in no documented order
#: (contract: assume-scheduled).
IN_PROGRESS = frozenset(
    {
        DeploymentStatus.PENDING,
        DeploymentStatus.PROVISIONING,
        DeploymentStatus.SCHEDULED,
        DeploymentStatus.ALLOCATING,
        DeploymentStatus.STARTING,
    }
)
#: The status during which the image is built (contract: assume-build-status: the build
#: stage may outlast it, so what shows a build in progress is its stage).
BUILDING = DeploymentStatus.PROVISIONING
#: The build stage statuses after which no more build log lines come.
STAGE_ENDED = frozenset({"COMPLETED", "FAILED", "ABORTED"})

_FRACTION = re.compile(r"\.(\d+)")


def parse_time(value: object) -> datetime | None:
    """An RFC 3339 timestamp as an aware datetime; None when absent or unreadable."""
    if not isinstance(value, str) or not value:
        return None
    # Go writes up to nine fractional digits; datetime takes at most six.
    text = _FRACTION.sub(lambda m: "." + m.group(1)[:6].ljust(6, "0"), value, count=1)
    try:
        parsed = datetime.fromisoformat(text.replace("Z", "+00:00").replace("z", "+00:00"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def format_time(value: datetime) -> str:
    """`value` in RFC 3339, UTC, with a literal Z (what the API and its tail expect)."""
    return value.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def _text(value: str) -> str:
    # JSON can carry lone surrogates ("\ud800"), which no output stream can print.
    return value.encode("utf-8", "backslashreplace").decode("utf-8")


def _str(data: JsonObject, key: str) -> str:
    value = data.get(key)
    return _text(value) if isinstance(value, str) else ""


def _strs(data: JsonObject, key: str) -> tuple[str, ...]:
    value = data.get(key)
    items = value if isinstance(value, list) else []
    return tuple(_text(item) for item in items if isinstance(item, str))


@dataclass(frozen=True, slots=True)
class App:
    """A Koyeb app (`AppListItem` / `App`)."""

    id: str
    name: str
    status: str = ""

    @classmethod
    def from_json(cls, data: JsonObject) -> App:
        return cls(id=_str(data, "id"), name=_str(data, "name"), status=_str(data, "status"))


@dataclass(frozen=True, slots=True)
class Service:
    """A Koyeb service (`ServiceListItem` / `Service`).

    ```python
    service = client.get_service(target.service_id)
    service.latest_deployment_id  # the newest deployment, e.g. the one a rebuild started
    ```
    """

    id: str
    name: str
    app_id: str
    status: str = ""
    active_deployment_id: str = ""
    latest_deployment_id: str = ""
    #: The deployment holding the last build (differs from the latest after a skip_build).
    last_provisioned_deployment_id: str = ""
    messages: tuple[str, ...] = ()

    @classmethod
    def from_json(cls, data: JsonObject) -> Service:
        return cls(
            id=_str(data, "id"),
            name=_str(data, "name"),
            app_id=_str(data, "app_id"),
            status=_str(data, "status"),
            active_deployment_id=_str(data, "active_deployment_id"),
            latest_deployment_id=_str(data, "latest_deployment_id"),
            last_provisioned_deployment_id=_str(data, "last_provisioned_deployment_id"),
            messages=_strs(data, "messages"),
        )


def _object(data: JsonObject, key: str) -> JsonObject:
    value = data.get(key)
    return value if isinstance(value, Mapping) else {}


@dataclass(frozen=True, slots=True)
class GitSource:
    """A deployment definition's `git` source (`GitSource`), the fields the guide reads."""

    repository: str = ""
    branch: str = ""
    #: The commit the definition names; "" when it follows the branch's newest commit.
    sha: str = ""

    @classmethod
    def from_definition(cls, definition: object) -> GitSource | None:
        """The `git` of a DeploymentDefinition; None when it has none (an image source)."""
        if not isinstance(definition, Mapping) or not isinstance(definition.get("git"), Mapping):
            return None
        git = definition["git"]
        return cls(_str(git, "repository"), _str(git, "branch"), _str(git, "sha"))


@dataclass(frozen=True, slots=True)
class BuildStage:
    """One entry of a deployment's `provisioning_info.stages`."""

    name: str
    status: str

    @classmethod
    def from_json(cls, data: JsonObject) -> BuildStage:
        return cls(name=_str(data, "name"), status=_str(data, "status"))


@dataclass(frozen=True, slots=True)
class Deployment:
    """One deployment of a service. `status` is "" when the API sent none.

    ```python
    deployment = client.get_deployment(deployment_id)
    deployment.status       # "PROVISIONING"
    deployment.stage        # BuildStage(name="build", status="RUNNING")
    ```
    """

    id: str
    service_id: str = ""
    app_id: str = ""
    status: str = ""
    created_at: datetime | None = None
    messages: tuple[str, ...] = ()
    skip_build: bool = False
    stages: tuple[BuildStage, ...] = field(default=())
    #: The commit it was built from (`provisioning_info.sha`); "" when it names none.
    commit: str = ""
    #: Its git source (`definition.git`): the branch it tracks, and the commit the
    #: definition names (`git.sha`), "" when none. None for a source that is not git.
    git: GitSource | None = None
    #: `metadata.trigger.type`: "GIT" for a deployment a push started, else "".
    trigger: str = ""

    @classmethod
    def from_json(cls, data: JsonObject) -> Deployment:
        info = _object(data, "provisioning_info")
        raw_stages = info.get("stages")
        stages = tuple(
            BuildStage.from_json(stage)
            for stage in (raw_stages if isinstance(raw_stages, list) else [])
            if isinstance(stage, Mapping)
        )
        return cls(
            id=_str(data, "id"),
            service_id=_str(data, "service_id"),
            app_id=_str(data, "app_id"),
            status=_str(data, "status"),
            created_at=parse_time(data.get("created_at")),
            messages=_strs(data, "messages"),
            skip_build=data.get("skip_build") is True,
            stages=stages,
            commit=_str(info, "sha"),
            git=GitSource.from_definition(data.get("definition")),
            trigger=_str(_object(_object(data, "metadata"), "trigger"), "type"),
        )

    @property
    def pinned_commit(self) -> str:
        """The commit its definition pins with `--git-sha`, "" when it follows its branch.

        The API sets `definition.git.sha` on every deployment a push created, to the
        commit pushed (contract: api-git-sha); on any other deployment a `git.sha` is a
        pin (`koyeb service update --git-sha`). An inference from those two sources.
        """
        if self.git is None or self.trigger == "GIT":
            return ""
        return self.git.sha

    @property
    def building(self) -> bool:
        """Whether its image is being built: a build stage runs, or it is PROVISIONING and no
        stage has ended (the build may outlast PROVISIONING: contract: assume-build-status)."""
        if any(stage.status == "RUNNING" for stage in self.stages):
            return True
        ended = any(stage.status in STAGE_ENDED for stage in self.stages)
        return self.status == BUILDING and not ended

    @property
    def build_over(self) -> bool:
        """Whether no more build log lines will come: it reached a final status, or every
        build stage it lists ended, or it lists none and has left the statuses around its
        build (SCHEDULED may come before it: contract: assume-scheduled)."""
        if self.status in SUCCESS | FAILURE:
            return True
        if self.stages:
            return all(stage.status in STAGE_ENDED for stage in self.stages)
        waiting = {"", DeploymentStatus.PENDING, DeploymentStatus.SCHEDULED, BUILDING}
        return self.status not in waiting

    @property
    def stage(self) -> BuildStage | None:
        """The build stage in progress, else the last one that started; None before the build."""
        for stage in self.stages:
            if stage.status == "RUNNING":
                return stage
        started = [stage for stage in self.stages if stage.status not in ("", "UNKNOWN", "PENDING")]
        return started[-1] if started else None


@dataclass(frozen=True, slots=True)
class LogEntry:
    """One log line (`LogEntry`): its text, time and labels (`type`, `stream`, ...).

    ```python
    for entry in client.query_logs(type="build", deployment_id=deployment.id):
        print(entry.msg)    # "#8 [4/6] RUN ...", "#8 CACHED", ...
    ```
    """

    msg: str
    created_at: datetime | None = None
    labels: Mapping[str, str] = field(default_factory=dict)

    @classmethod
    def from_json(cls, data: JsonObject) -> LogEntry:
        labels = data.get("labels")
        return cls(
            msg=_str(data, "msg"),
            created_at=parse_time(data.get("created_at")),
            labels={str(k): str(v) for k, v in labels.items()} if isinstance(labels, dict) else {},
        )


@dataclass(frozen=True, slots=True)
class Target:
    """A resolved `app/service`: both ids and both names.

    ```python
    target = client.resolve_service("harvestconnect-backend/api")
    target.slug        # "harvestconnect-backend/api"
    target.service_id  # the lowercase UUID the endpoints take
    ```
    """

    app_id: str
    app_name: str
    service_id: str
    service_name: str

    @property
    def slug(self) -> str:
        return f"{self.app_name}/{self.service_name}"
