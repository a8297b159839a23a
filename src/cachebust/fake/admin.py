"""The fake's own HTTP routes, under `/_fake/` (a prefix the Koyeb API does not use).

They need the same bearer token as the API and are not journaled.

- `GET /_fake/info`: the seeded ids, the configured names, the clock;
- `GET /_fake/journal`, `DELETE /_fake/journal`: read or clear the request journal;
- `GET /_fake/faults`, `DELETE /_fake/faults`: list or clear the injected faults;
- `POST /_fake/faults`: inject one; the body holds `FakeKoyeb.inject`'s arguments,
  e.g. `{"method": "POST", "path": "/v1/services/*/redeploy", "drop": true}`;
- `POST /_fake/outcomes`: `{"outcome": "error"}` sets how the next deployment ends;
- `GET /_fake/clock`, `POST /_fake/clock`: read the clock; `{"advance": 30}` moves it.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from cachebust.fake.faults import FIELDS as FAULT_FIELDS
from cachebust.fake.ids import rfc3339
from cachebust.fake.router import authenticated
from cachebust.fake.state import JSON, Store
from cachebust.fake.wire import ApiError, ApiRequest, ApiResponse, encode

if TYPE_CHECKING:
    from cachebust.fake.core import FakeKoyeb


def handle(fake: FakeKoyeb, store: Store, request: ApiRequest) -> ApiResponse:
    try:
        if not authenticated(request, fake.token):
            raise ApiError(401)
        return ApiResponse(200, encode(_route(fake, store, request)))
    except ApiError as error:
        return error.response()
    except (TypeError, ValueError) as error:
        return ApiError(400, str(error)).response()


def _route(fake: FakeKoyeb, store: Store, request: ApiRequest) -> JSON:
    route = (request.method, request.path.rstrip("/"))
    if route == ("GET", "/_fake/info"):
        app, service = store.apps[fake.app_id], store.services[fake.service_id]
        return {
            "organization_id": fake.organization_id,
            "app_id": app.id,
            "app": app.name,
            "service_id": service.id,
            "service": service.name,
            **_clock(fake),
        }
    if route == ("GET", "/_fake/journal"):
        return {"entries": [item.as_json() for item in fake.journal]}
    if route == ("DELETE", "/_fake/journal"):
        fake.journal.clear()
        return {}
    if route == ("GET", "/_fake/faults"):
        return {"faults": [fault.as_json() for fault in fake.faults]}
    if route == ("POST", "/_fake/faults"):
        body = _body(request)
        unknown = set(body) - set(FAULT_FIELDS)
        if unknown or "method" not in body or "path" not in body:
            raise ValueError(f"a fault needs method and path, and takes only {list(FAULT_FIELDS)}")
        method, path = body.pop("method"), body.pop("path")
        return {"fault": fake.inject(method, path, **body).as_json()}
    if route == ("DELETE", "/_fake/faults"):
        fake.clear_faults()
        return {}
    if route == ("POST", "/_fake/outcomes"):
        fake.next_deployment_outcome(str(_body(request).get("outcome")))
        return {}
    if route == ("GET", "/_fake/clock"):
        return _clock(fake)
    if route == ("POST", "/_fake/clock"):
        seconds = _body(request).get("advance")
        if not isinstance(seconds, int | float) or isinstance(seconds, bool):
            raise ValueError('expected {"advance": <seconds>}')
        fake.clock.advance(float(seconds))
        return _clock(fake)
    raise ApiError(404, f"No fake admin route {request.method} {request.path}")


def _clock(fake: FakeKoyeb) -> JSON:
    return {"now": rfc3339(fake.clock.now()), "speed": fake.clock.speed}


def _body(request: ApiRequest) -> dict[str, Any]:
    try:
        body = json.loads(request.body or b"{}")
    except ValueError as exc:
        raise ValueError(f"the body is not JSON: {exc}") from None
    if not isinstance(body, dict):
        raise ValueError("the body must be a JSON object")
    return body
