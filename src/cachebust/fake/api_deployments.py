"""Deployments: list (newest first, with the full definition), get, and cancel."""

from __future__ import annotations

from cachebust.fake import render, schemas
from cachebust.fake.endpoint import Ctx, Endpoint
from cachebust.fake.lifecycle import CANCELABLE, abort
from cachebust.fake.params import paginate
from cachebust.fake.state import JSON
from cachebust.fake.wire import ApiError


def list_deployments(ctx: Ctx) -> JSON:
    query = ctx.query
    found = sorted(ctx.store.deployments.values(), key=lambda d: d.created_at, reverse=True)
    app_id = query.text("app_id")
    if app_id is not None:
        found = [d for d in found if d.app_id == app_id]
    service_id = query.text("service_id")
    if service_id is not None:
        found = [d for d in found if d.service_id == service_id]
    statuses = query.enums("statuses", schemas.enum_values("DeploymentStatus"))
    if statuses:
        found = [d for d in found if d.status in statuses]
    ids = query.many("ids")
    if ids:
        found = [d for d in found if d.id in ids]
    page, meta = paginate(found, query)
    items = [render.deployment(ctx.store, d, now=ctx.now, full=False) for d in page]
    return {"deployments": items, **meta}


def get_deployment(ctx: Ctx) -> JSON:
    return {"deployment": render.deployment(ctx.store, ctx.deployment(), now=ctx.now, full=True)}


def cancel_deployment(ctx: Ctx) -> JSON:
    deployment = ctx.deployment()
    if deployment.status not in CANCELABLE:
        # The API only cancels pending, provisioning or scheduled deployments; it refuses a
        # FAILED_PRECONDITION, which grpc-gateway sends as a 400.
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
