"""The fake's own routes, under `/_fake/` (a prefix the Koyeb API does not use), as
endpoints like the API's.

They need the same bearer token as the API, are not journaled, never fault, and their
replies are the fake's own (no koyeb-sdk model).

- `GET /_fake/info`: the configured app and service, their ids, the clock, and the
  assumptions flipped from their defaults;
- `GET /_fake/journal`, `DELETE /_fake/journal`: read or clear the request journal;
- `GET /_fake/faults`, `DELETE /_fake/faults`: list or clear the injected faults;
- `POST /_fake/faults`: inject one; the body holds `FakeKoyeb.inject`'s arguments,
  e.g. `{"method": "POST", "path": "/v1/services/*/redeploy", "drop": true}`;
- `POST /_fake/outcomes`: `{"outcome": "error"}` sets how the next deployment ends;
- `POST /_fake/push`: a git push to the configured service's branch (or to
  `{"service_id": ...}`'s) of a new commit (or of `{"sha": ...}`), which starts a
  deployment unless `no_deploy_on_push`;
- `GET /_fake/clock`, `POST /_fake/clock`: read the clock; `{"advance": 30}` moves it.
"""

from __future__ import annotations

import json
from typing import Any

from cachebust._git import is_commit_id
from cachebust.fake._endpoint import Ctx, Endpoint
from cachebust.fake._faults import FIELDS as FAULT_FIELDS
from cachebust.fake._faults import Fault
from cachebust.fake._ids import rfc3339
from cachebust.fake._push import push
from cachebust.fake._state import JsonDict, queue_outcome
from cachebust.fake._wire import ApiError

PREFIX = "/_fake/"


def info(ctx: Ctx) -> JsonDict:
    store = ctx.store
    app, service = store.apps[store.app_id], store.services[store.service_id]
    return {
        "organization_id": store.organization_id,
        "app_id": app.id,
        "app": app.name,
        "service_id": service.id,
        "service": service.name,
        "assumptions": store.assumed.changed(),
        **clock(ctx),
    }


def journal(ctx: Ctx) -> JsonDict:
    return {"entries": [item.as_json() for item in ctx.controls.journal]}


def clear_journal(ctx: Ctx) -> JsonDict:
    ctx.controls.journal.clear()
    return {}


def faults(ctx: Ctx) -> JsonDict:
    return {"faults": [fault.as_json() for fault in ctx.controls.faults.faults]}


def inject(ctx: Ctx) -> JsonDict:
    body = _body(ctx)
    unknown = set(body) - set(FAULT_FIELDS)
    if unknown or "method" not in body or "path" not in body:
        raise ApiError(400, f"a fault needs method and path, and takes only {list(FAULT_FIELDS)}")
    try:
        fault = Fault(**body)
    except (TypeError, ValueError) as exc:
        raise ApiError(400, str(exc)) from None
    return {"fault": ctx.controls.faults.add(fault).as_json()}


def clear_faults(ctx: Ctx) -> JsonDict:
    ctx.controls.faults.clear()
    return {}


def outcome(ctx: Ctx) -> JsonDict:
    try:
        queue_outcome(ctx.store, str(_body(ctx).get("outcome")))
    except ValueError as exc:
        raise ApiError(400, str(exc)) from None
    return {}


def git_push(ctx: Ctx) -> JsonDict:
    store, body = ctx.store, _body(ctx)
    wanted = body.get("service_id", store.service_id)
    service = store.services.get(wanted) if isinstance(wanted, str) else None
    if service is None:
        raise ApiError(404, "Service not found")
    sha = body.get("sha")
    if sha is not None and not (isinstance(sha, str) and is_commit_id(sha)):
        raise ApiError(400, "sha must be a commit id: 40 lowercase hexadecimal digits")
    deployment = push(store, service, ctx.now, sha=sha)
    return {"deployment_id": deployment.id if deployment else None}


def clock(ctx: Ctx) -> JsonDict:
    return {"now": rfc3339(ctx.controls.clock.now()), "speed": ctx.controls.clock.speed}


def advance(ctx: Ctx) -> JsonDict:
    seconds = _body(ctx).get("advance")
    if not isinstance(seconds, int | float) or isinstance(seconds, bool) or seconds < 0:
        raise ApiError(400, 'expected {"advance": <seconds, not negative>}')
    ctx.controls.clock.advance(float(seconds))
    return clock(ctx)


def _body(ctx: Ctx) -> dict[str, Any]:
    try:
        body = json.loads(ctx.request.body or b"{}")
    except ValueError as exc:
        raise ApiError(400, f"the body is not JSON: {exc}") from None
    if not isinstance(body, dict):
        raise ApiError(400, "the body must be a JSON object")
    return body


ENDPOINTS = (
    Endpoint("GET", "/_fake/info", info, None),
    Endpoint("GET", "/_fake/journal", journal, None),
    Endpoint("DELETE", "/_fake/journal", clear_journal, None),
    Endpoint("GET", "/_fake/faults", faults, None),
    Endpoint("POST", "/_fake/faults", inject, None),
    Endpoint("DELETE", "/_fake/faults", clear_faults, None),
    Endpoint("POST", "/_fake/outcomes", outcome, None),
    Endpoint("POST", "/_fake/push", git_push, None),
    Endpoint("GET", "/_fake/clock", clock, None),
    Endpoint("POST", "/_fake/clock", advance, None),
)
