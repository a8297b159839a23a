"""Services: list, get, update (PUT and PATCH) and redeploy.

Whether a new build may use the cache: a redeploy uses it only when the body
says `use_cache: true` (the CLI sends false unless `--use-cache`); an update uses
it unless the definition says `skip_cache: true` (`--skip-cache`); either way
`definition.skip_cache: true` forbids it, and a service that never built has
nothing cached. `skip_build` needs an earlier successful build to reuse.
"""

from __future__ import annotations

from cachebust.fake import render, schemas
from cachebust.fake.endpoint import Ctx, Endpoint
from cachebust.fake.lifecycle import create_deployment
from cachebust.fake.params import paginate
from cachebust.fake.state import JSON, Service
from cachebust.fake.wire import invalid


def list_services(ctx: Ctx) -> JSON:
    query = ctx.query
    services = sorted(ctx.store.services.values(), key=lambda s: s.created_at, reverse=True)
    app_id = query.text("app_id")
    if app_id is not None:
        services = [s for s in services if s.app_id == app_id]
    name = query.text("name")
    if name is not None:
        # Substring, as for apps: the API does not say the filter is exact.
        services = [s for s in services if name in s.name]
    types = query.enums("types", schemas.enum_values("ServiceType"))
    if types and "WEB" not in types:
        services = []
    statuses = query.enums("statuses", schemas.enum_values("ServiceStatus"))
    if statuses:
        services = [s for s in services if render.service_status(ctx.store, s) in statuses]
    regions = query.many("regions")
    if regions:
        services = [s for s in services if set(regions) & set(s.definition.get("regions", []))]
    ids = query.many("ids")
    if ids:
        services = [s for s in services if s.id in ids]
    page, meta = paginate(services, query)
    return {"services": [render.service(ctx.store, s, full=False) for s in page], **meta}


def get_service(ctx: Ctx) -> JSON:
    return {"service": render.service(ctx.store, ctx.service(), full=True)}


def update_service(ctx: Ctx) -> JSON:
    service = ctx.service()
    body = schemas.request_body("UpdateService", ctx.request.body)
    dry_run = ctx.query.boolean("dry_run")
    if body.get("instance_snapshot_id"):
        raise invalid("instance_snapshot_id", "instance snapshots are not supported by this fake")
    skip_build = _skip_build(ctx, service, bool(body.get("skip_build")))
    if dry_run:
        return {"service": render.service(ctx.store, service, full=True)}
    if "definition" in body:
        service.definition = body["definition"]
    if "life_cycle" in body:
        service.life_cycle = body["life_cycle"]
    service.updated_at = ctx.now
    if body.get("save_only"):
        service.version += 1
    else:
        create_deployment(
            ctx.store,
            service,
            now=ctx.now,
            cached=_cache_allowed(ctx, service),
            skip_build=skip_build,
            sha=_sha(service, None),
        )
    return {"service": render.service(ctx.store, service, full=True)}


def redeploy(ctx: Ctx) -> JSON:
    service = ctx.service()
    body = schemas.request_body("RedeployRequestInfo", ctx.request.body)
    skip_build = _skip_build(ctx, service, bool(body.get("skip_build")))
    deployment = create_deployment(
        ctx.store,
        service,
        now=ctx.now,
        cached=bool(body.get("use_cache")) and _cache_allowed(ctx, service),
        skip_build=skip_build,
        sha=_sha(service, body.get("sha")),
        deployment_group=body.get("deployment_group"),
    )
    return {"deployment": render.deployment(ctx.store, deployment, now=ctx.now, full=True)}


def _skip_build(ctx: Ctx, service: Service, wanted: bool) -> bool:
    if wanted and ctx.store.last_built(service) is None:
        raise invalid("skip_build", "no previous successful build to reuse")
    return wanted


def _cache_allowed(ctx: Ctx, service: Service) -> bool:
    return not service.definition.get("skip_cache") and (ctx.store.last_built(service) is not None)


def _sha(service: Service, requested: str | None) -> str:
    pinned = (service.definition.get("git") or {}).get("sha")
    return requested or pinned or service.head_sha


ENDPOINTS = (
    Endpoint("GET", "/v1/services", list_services, "ListServicesReply"),
    Endpoint("GET", "/v1/services/{id}", get_service, "GetServiceReply"),
    Endpoint("PUT", "/v1/services/{id}", update_service, "UpdateServiceReply"),
    Endpoint("PATCH", "/v1/services/{id}", update_service, "UpdateServiceReply"),
    Endpoint("POST", "/v1/services/{id}/redeploy", redeploy, "RedeployReply"),
)
