"""Apps and the account: GET /v1/apps, GET /v1/apps/{id}, GET /v1/account/profile."""

from __future__ import annotations

from cachebust.fake import render
from cachebust.fake.endpoint import Ctx, Endpoint
from cachebust.fake.params import paginate
from cachebust.fake.state import JSON


def list_apps(ctx: Ctx) -> JSON:
    apps = sorted(ctx.store.apps.values(), key=lambda a: a.created_at, reverse=True)
    name = ctx.query.text("name")
    if name is not None:
        # Whether Koyeb matches names exactly is undocumented; a substring match makes a
        # client that trusts the filter to be exact fail here rather than in production.
        apps = [a for a in apps if name in a.name]
    ids = ctx.query.many("ids")
    if ids:
        apps = [a for a in apps if a.id in ids]
    page, meta = paginate(apps, ctx.query)
    return {"apps": [render.app(ctx.store, a, full=False) for a in page], **meta}


def get_app(ctx: Ctx) -> JSON:
    return {"app": render.app(ctx.store, ctx.app(), full=True)}


def get_profile(ctx: Ctx) -> JSON:
    return {"user": render.user(ctx.store.user)}


ENDPOINTS = (
    Endpoint("GET", "/v1/apps", list_apps, "ListAppsReply"),
    Endpoint("GET", "/v1/apps/{id}", get_app, "GetAppReply"),
    Endpoint("GET", "/v1/account/profile", get_profile, "UserReply"),
)
