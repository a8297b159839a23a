"""From a request to its reply: authentication, routing, the handler, the contract check."""

from __future__ import annotations

from datetime import datetime

from cachebust.fake import api_apps, api_deployments, api_logs, api_services, schemas
from cachebust.fake.endpoint import Ctx, Endpoint
from cachebust.fake.lifecycle import sync
from cachebust.fake.params import Query
from cachebust.fake.state import Store
from cachebust.fake.wire import ApiError, ApiRequest, ApiResponse, encode

ENDPOINTS: tuple[Endpoint, ...] = (
    *api_apps.ENDPOINTS,
    *api_services.ENDPOINTS,
    *api_deployments.ENDPOINTS,
    *api_logs.ENDPOINTS,
)


def authenticated(request: ApiRequest, token: str) -> bool:
    scheme, _, credential = request.headers.get("authorization", "").partition(" ")
    return scheme.lower() == "bearer" and credential == token


def answer(store: Store, token: str, now: datetime, request: ApiRequest) -> tuple[ApiResponse, str]:
    """The reply to an API request and the koyeb-sdk model its body was checked against.

    Raises ContractViolation when the reply would not parse as that model.
    """
    sync(store, now)
    try:
        if not authenticated(request, token):
            raise ApiError(401)
        endpoint, params = _route(request)
        ctx = Ctx(store, now, request, params, Query(request.query))
        body, model = endpoint.handler(ctx), endpoint.model
        # Apply at once what the handler scheduled for `now`, e.g. a superseded deployment.
        sync(store, now)
    except ApiError as error:
        body, model = error.body(), error.model()
        schemas.check_reply(model, body)
        return error.response(), model
    schemas.check_reply(model, body)
    return ApiResponse(200, encode(body)), model


def _route(request: ApiRequest) -> tuple[Endpoint, dict[str, str]]:
    allowed = False
    for endpoint in ENDPOINTS:
        params = endpoint.match(request.path)
        if params is None:
            continue
        if endpoint.method == request.method:
            return endpoint, params
        allowed = True
    if allowed:
        raise ApiError(501, f"{request.method} {request.path} is not implemented by the fake")
    raise ApiError(404, "Not Found")
