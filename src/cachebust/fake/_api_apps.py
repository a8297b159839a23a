"""Apps and the account: GET /v1/apps, GET /v1/apps/{id}, GET /v1/account/profile."""

from __future__ import annotations

from cachebust.fake import _replies as render
from cachebust.fake._endpoint import Ctx, Endpoint
from cachebust.fake._query import in_list_order, matching, named, paginate
from cachebust.fake._state import JsonDict


def list_apps(ctx: Ctx) -> JsonDict:
    assumed = ctx.store.assumed
    apps = in_list_order(ctx.store.apps.values(), lambda a: a.created_at, assumed)
    name = ctx.query.text("name")
    # How Koyeb matches names is undocumented (contract: assume-name-filter); a substring
    # match, the default, makes a client that trusts the filter to be exact fail here.
    apps = [a for a in apps if named(assumed, name, a.name)]
    apps = matching(apps, ctx.query, equal={}, one_of={"ids": lambda a: a.id})
    page, meta = paginate(apps, ctx.query, assumed)
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
