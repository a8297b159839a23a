"""State records as the JSON objects the API returns (App, Service, Deployment, ...).

Timestamps the fake has no value for are left out (contract: assume-unset-fields); id
references without a value (a first deployment's `parent_id`) are empty strings.
`version` fields are strings and times RFC 3339, as in the document.
"""

from __future__ import annotations

import copy
from datetime import datetime
from typing import Any

from cachebust.fake._ids import rfc3339
from cachebust.fake._lifecycle import IN_PROGRESS
from cachebust.fake._state import App, Build, Deployment, JsonDict, LogLine, Service, Store, User


def _times(**stamps: datetime | None) -> JsonDict:
    return {name: rfc3339(value) for name, value in stamps.items() if value is not None}


def app(store: Store, record: App, *, full: bool) -> JsonDict:
    """An App (`full`) or an AppListItem."""
    body: JsonDict = {
        "id": record.id,
        "name": record.name,
        "organization_id": store.organization_id,
        **_times(created_at=record.created_at, updated_at=record.updated_at),
        "domains": [
            {
                "id": record.domain_id,
                "organization_id": store.organization_id,
                "name": record.domain,
                "type": "AUTOASSIGNED",
                "status": "ACTIVE",
                "app_id": record.id,
                **_times(created_at=record.created_at, updated_at=record.updated_at),
                "version": "1",
            }
        ],
        "status": "HEALTHY",  # contract: assume-app-status
        "messages": [],
    }
    if full:
        body |= {
            **_times(started_at=record.created_at, succeeded_at=record.created_at),
            "version": str(record.version),
            "life_cycle": {"delete_when_empty": False},
        }
    return body


def service(store: Store, record: Service, *, full: bool) -> JsonDict:
    """A Service (`full`) or a ServiceListItem."""
    body: JsonDict = {
        "id": record.id,
        "name": record.name,
        "type": "WEB",
        "organization_id": store.organization_id,
        "app_id": record.app_id,
        **_times(created_at=record.created_at, updated_at=record.updated_at),
        "status": service_status(store, record),
        "messages": [],
        "version": str(record.version),
        "active_deployment_id": record.active_deployment_id or "",
        "latest_deployment_id": record.latest_deployment_id or "",
    }
    if record.life_cycle is not None:
        body["life_cycle"] = copy.deepcopy(record.life_cycle)
    if full:
        body |= _times(started_at=record.created_at, succeeded_at=record.created_at)
        body["last_provisioned_deployment_id"] = record.last_provisioned_deployment_id or ""
    return body


def service_status(store: Store, record: Service) -> str:
    """HEALTHY with a healthy active deployment, STARTING while the latest is in progress,
    else UNHEALTHY (contract: assume-service-status)."""
    active = store.deployments.get(record.active_deployment_id or "")
    if active is not None and active.status == "HEALTHY":
        return "HEALTHY"
    latest = store.deployments.get(record.latest_deployment_id or "")
    return "STARTING" if latest is not None and latest.status in IN_PROGRESS else "UNHEALTHY"


def deployment(store: Store, record: Deployment, *, now: datetime, full: bool) -> JsonDict:
    """A Deployment (`full`) or a DeploymentListItem (no `skip_build`, no `role`)."""
    body: JsonDict = {
        "id": record.id,
        **_times(
            created_at=record.created_at,
            updated_at=record.updated_at,
            allocated_at=record.allocated_at,
            started_at=record.started_at,
            succeeded_at=record.succeeded_at,
            terminated_at=record.terminated_at,
        ),
        "organization_id": store.organization_id,
        "app_id": record.app_id,
        "service_id": record.service_id,
        "parent_id": record.parent_id or "",
        "child_id": record.child_id or "",
        "status": record.status,
        "metadata": _metadata(record),
        "definition": copy.deepcopy(record.definition),
        "messages": list(record.messages),
        "provisioning_info": _provisioning(record, now),
        "version": str(record.version),
    }
    if record.deployment_group:
        body["deployment_group"] = record.deployment_group
    if full:
        body["skip_build"] = record.skip_build
    return body


def _metadata(record: Deployment) -> JsonDict:
    metadata: JsonDict = {}
    if record.trigger is not None:
        metadata["trigger"] = copy.deepcopy(record.trigger)
    if record.skip_build and record.image_from:
        # contract: assume-skip-build-shape
        metadata["git"] = {"last_provisioned_deployment_id": record.image_from}
    return metadata


def _provisioning(record: Deployment, now: datetime) -> JsonDict:
    info: JsonDict = {"sha": record.sha}
    if record.build is not None:
        info["stages"] = [_stage(record.build, now)]
    return info


def _stage(build: Build, now: datetime) -> JsonDict:
    """The one `build` stage (contract: assume-build-stages)."""
    status = _status(build.started_at, build.finished_at, build.result, now)
    steps = []
    for step in build.steps:
        if step.started_at > now:
            break
        result = "FAILED" if step.failed else "COMPLETED"
        if build.result == "ABORTED" and step is build.steps[-1]:
            result = "ABORTED"
        steps.append(
            {
                "name": step.name,
                "status": _status(step.started_at, step.finished_at, result, now),
                "messages": ["CACHED"] if step.cached else [],
                **_times(started_at=step.started_at, finished_at=_past(step.finished_at, now)),
            }
        )
    finished = _past(build.finished_at, now)
    attempt: JsonDict = {
        "id": 1,
        "status": status,
        "messages": list(build.messages) if finished else [],
        **_times(started_at=_past(build.started_at, now), finished_at=finished),
        "steps": steps,
        "image_pushed": status == "COMPLETED",
        "internal_failure": False,
        "retryable_failure": False,
    }
    return {
        "name": "build",
        "status": status,
        "messages": attempt["messages"],
        **_times(started_at=_past(build.started_at, now), finished_at=finished),
        "build_attempts": [attempt],
    }


def _status(start: datetime, end: datetime | None, result: str, now: datetime) -> str:
    if now < start:
        return "PENDING"
    if end is None or now < end:
        return "RUNNING"
    return result


def _past(moment: datetime | None, now: datetime) -> datetime | None:
    return moment if moment is not None and moment <= now else None


def log_entry(store: Store, line: LogLine) -> JsonDict:
    """A LogEntry; its labels are the keys the official CLI reads (contract:
    assume-log-labels)."""
    labels: dict[str, Any] = {
        "type": line.type,
        "stream": line.stream,
        "organization_id": store.organization_id,
        "app_id": line.app_id,
        "service_id": line.service_id,
    }
    if line.instance_id:
        labels["instance_id"] = line.instance_id
    return {"msg": line.msg, "created_at": rfc3339(line.created_at), "labels": labels}


def user(record: User) -> JsonDict:
    return {
        "id": record.id,
        "email": record.email,
        "name": record.name,
        **_times(created_at=record.created_at, updated_at=record.created_at),
        "email_validated": True,
        "two_factor_authentication": False,
        "newsletter_subscribed": False,
        "trialed": False,
        "flags": [],
    }
