"""Apps and the account: GET /v1/apps, GET /v1/apps/{id}, GET /v1/account/profile."""

from __future__ import annotations

from cachebust.fake import _replies as render
from cachebust.fake._endpoint import Ctx, Endpoint
from cachebust.fake._query import matching, paginate
from cachebust.fake._state import JsonDict


def list_apps(ctx: Ctx) -> JsonDict:
    apps = sorted(ctx.store.apps.values(), key=lambda a: a.created_at, reverse=True)
    name = ctx.query.text("name")
    if name is not None:
        # Whether Koyeb matches names exactly is undocumented; a substring match makes a
        # client that trusts the filter to be exact fail here rather than in production.
        apps = [a for a in apps if name in a.name]
    apps = matching(apps, ctx.query, equal={}, one_of={"ids": lambda a: a.id})
    page, meta = paginate(apps, ctx.query)
    return {"apps": [render.app(ctx.store, a, full=False) for a in page], **meta}


def get_app(ctx: Ctx) -> JsonDict:
    return {"app": render.app(ctx.store, ctx.app(), full=True)}


def get_profile(ctx: Ctx) -> JsonDict:
    return {"user": render.user(ctx.store.user)}


ENDPOINTS = (
    Endpoint("GET", "/v1/apps", list_apps, "ListAppsReply"),
    Endpoint("GET", "/v1/apps/{id}", get_app, "GetAppReply"),
    Endpoint("GET", "/v1/account/profile", get_profile, "UserReply"),
)
