"""Deployments: list (newest first by default: contract: assume-list-order; with the full
definition), get, and cancel."""

from __future__ import annotations

from cachebust.fake import _replies as render
from cachebust.fake import _schemas as schemas
from cachebust.fake._endpoint import Ctx, Endpoint
from cachebust.fake._lifecycle import CANCELABLE, abort
from cachebust.fake._query import in_list_order, matching, paginate
from cachebust.fake._state import JsonDict
from cachebust.fake._wire import ApiError


def list_deployments(ctx: Ctx) -> JsonDict:
    assumed = ctx.store.assumed
    found = in_list_order(ctx.store.deployments.values(), lambda d: d.created_at, assumed)
    found = matching(
        found,
        ctx.query,
        equal={"app_id": lambda d: d.app_id, "service_id": lambda d: d.service_id},
        one_of={"statuses": lambda d: d.status, "ids": lambda d: d.id},
        allowed={"statuses": schemas.enum_values("DeploymentStatus")},
    )
    page, meta = paginate(found, ctx.query, assumed)
    items = [render.deployment(ctx.store, d, now=ctx.now, full=False) for d in page]
    return {"deployments": items, **meta}


def get_deployment(ctx: Ctx) -> JsonDict:
    return {"deployment": render.deployment(ctx.store, ctx.deployment(), now=ctx.now, full=True)}


def cancel_deployment(ctx: Ctx) -> JsonDict:
    deployment = ctx.deployment()
    if deployment.status not in CANCELABLE:
        # The API only cancels pending, provisioning or scheduled deployments (contract:
        # api-cancel-window); how it refuses is unknown (contract: assume-cancel-refusal).
        raise ApiError(
            400,
            f"Deployment cannot be canceled in status {deployment.status}: only PENDING,"
            " PROVISIONING or SCHEDULED deployments can be.",
        )
    abort(ctx.store, deployment, ctx.now, "Canceled by the user.")
    return {}


ENDPOINTS = (
    Endpoint("GET", "/v1/deployments", list_deployments, "ListDeploymentsReply"),
    Endpoint("GET", "/v1/deployments/{id}", get_deployment, "GetDeploymentReply"),
    Endpoint("POST", "/v1/deployments/{id}/cancel", cancel_deployment, "object"),
)
