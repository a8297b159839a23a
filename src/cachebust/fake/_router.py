"""From a request to its reply: authentication, routing, the handler, the contract check."""

from __future__ import annotations

from datetime import datetime

from cachebust.fake import _api_admin as api_admin
from cachebust.fake import _api_apps as api_apps
from cachebust.fake import _api_deployments as api_deployments
from cachebust.fake import _api_logs as api_logs
from cachebust.fake import _api_services as api_services
from cachebust.fake import _schemas as schemas
from cachebust.fake._endpoint import Controls, Ctx, Endpoint
from cachebust.fake._lifecycle import sync
from cachebust.fake._query import Query
from cachebust.fake._state import Store
from cachebust.fake._wire import ApiError, ApiRequest, ApiResponse, encode

ADMIN_PREFIX = api_admin.PREFIX
ADMIN_ENDPOINTS = api_admin.ENDPOINTS
ENDPOINTS: tuple[Endpoint, ...] = (
    *api_apps.ENDPOINTS,
    *api_services.ENDPOINTS,
    *api_deployments.ENDPOINTS,
    *api_logs.ENDPOINTS,
)


def authenticated(request: ApiRequest, token: str) -> bool:
    scheme, _, credential = request.headers.get("authorization", "").partition(" ")
    return scheme.lower() == "bearer" and credential == token


def answer(
    store: Store, token: str, now: datetime, request: ApiRequest, controls: Controls
) -> tuple[ApiResponse, str | None]:
    """The reply to a request and the koyeb-sdk model its body was checked against (None
    for the fake's own routes under `/_fake/`).

    Raises ContractViolation when an API reply would not parse as its model.
    """
    sync(store, now)
    table = ADMIN_ENDPOINTS if request.path.startswith(ADMIN_PREFIX) else ENDPOINTS
    try:
        if not authenticated(request, token):
            raise ApiError(401)
        endpoint, params = _route(request, table)
        last_wins = store.assumed.holds("repeated-parameter", "last-wins")
        query = Query(request.query, last_wins=last_wins)
        ctx = Ctx(store, now, request, params, query, controls)
        body, model = endpoint.handler(ctx), endpoint.model
        # Apply at once what the handler scheduled for `now`, e.g. a superseded deployment.
        sync(store, now)
    except ApiError as error:
        body, model = error.body(), error.model()
        schemas.check_reply(model, body)
        return error.response(), model
    if model is not None:
        schemas.check_reply(model, body)
    return ApiResponse(200, encode(body)), model


def _route(request: ApiRequest, table: tuple[Endpoint, ...]) -> tuple[Endpoint, dict[str, str]]:
    allowed = False
    for endpoint in table:
        params = endpoint.match(request.path)
        if params is None:
            continue
        if endpoint.method == request.method:
            return endpoint, params
        allowed = True
    if allowed:
        # A known path with another method: grpc-gateway's own answer (an inference).
        raise ApiError(501, f"{request.method} {request.path} is not implemented by the fake")
    raise ApiError(404, "Not Found")
