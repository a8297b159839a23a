"""Services: list, get, update (PUT and PATCH) and redeploy.

Whether a new build may use the cache: a redeploy uses it only when the body
says `use_cache: true` (the CLI sends false unless `--use-cache`; contract:
assume-redeploy-cache); an update uses it unless the definition says `skip_cache:
true` (`--skip-cache`; contract: assume-update-uses-cache); either way
`definition.skip_cache: true` forbids it (contract: assume-skip-cache-scope), and a
service that never built has nothing cached. `skip_build` needs an earlier successful
build to reuse (contract: api-skip-build, assume-skip-build-refusal).
"""

from __future__ import annotations

from cachebust.fake import _replies as render
from cachebust.fake import _schemas as schemas
from cachebust.fake._endpoint import Ctx, Endpoint
from cachebust.fake._lifecycle import IN_PROGRESS, create_deployment
from cachebust.fake._query import in_list_order, matching, named, paginate
from cachebust.fake._state import JsonDict, Service, Store
from cachebust.fake._wire import invalid


def list_services(ctx: Ctx) -> JsonDict:
    query, store = ctx.query, ctx.store
    services = in_list_order(store.services.values(), lambda s: s.created_at, store.assumed)
    services = matching(
        services,
        query,
        equal={"app_id": lambda s: s.app_id},
        one_of={
            "statuses": lambda s: render.service_status(store, s),
            "types": lambda s: "WEB",
            "ids": lambda s: s.id,
        },
        allowed={
            "statuses": schemas.enum_values("ServiceStatus"),
            "types": schemas.enum_values("ServiceType"),
        },
    )
    name = query.text("name")
    # As for apps (contract: assume-name-filter).
    services = [s for s in services if named(store.assumed, name, s.name)]
    regions = query.many("regions")
    if regions:
        services = [s for s in services if set(regions) & set(s.definition.get("regions", []))]
    page, meta = paginate(services, query, store.assumed)
    return {"services": [render.service(store, s, full=False) for s in page], **meta}


def get_service(ctx: Ctx) -> JsonDict:
    return {"service": render.service(ctx.store, ctx.service(), full=True)}


def update_service(ctx: Ctx) -> JsonDict:
    """PUT or PATCH: the body's definition replaces the service's (contract:
    assume-update-semantics), checked for types and unknown fields only (contract:
    assume-definition-validation)."""
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
            cached=cache_allowed(ctx.store, service),
            skip_build=skip_build,
            sha=_sha(service, None),
        )
    return {"service": render.service(ctx.store, service, full=True)}


def redeploy(ctx: Ctx) -> JsonDict:
    service = ctx.service()
    body = schemas.request_body("RedeployRequestInfo", ctx.request.body)
    skip_build = _skip_build(ctx, service, bool(body.get("skip_build")))
    asked = bool(body.get("use_cache")) or ctx.store.assumed.holds(
        "redeploy-cache", "always-cached"
    )
    deployment = create_deployment(
        ctx.store,
        service,
        now=ctx.now,
        cached=asked and cache_allowed(ctx.store, service),
        skip_build=skip_build,
        sha=_sha(service, body.get("sha")),
        deployment_group=body.get("deployment_group"),
    )
    _count_in_flight(ctx.store, deployment.id)
    return {"deployment": render.deployment(ctx.store, deployment, now=ctx.now, full=True)}


def _count_in_flight(store: Store, started: str) -> None:
    """Record a redeploy; the redeploys in flight (their deployments still in progress)
    only grow at one, so the peak is counted here."""
    store.redeployed.append(started)
    deployments = (store.deployments[d] for d in store.redeployed)
    in_flight = sum(1 for d in deployments if d.status in IN_PROGRESS)
    store.redeploy_peak = max(store.redeploy_peak, in_flight)


def _skip_build(ctx: Ctx, service: Service, wanted: bool) -> bool:
    # contract: api-skip-build; how the refusal looks is contract: assume-skip-build-refusal
    if wanted and ctx.store.last_built(service) is None:
        raise invalid("skip_build", "no previous successful build to reuse")
    return wanted


def cache_allowed(store: Store, service: Service) -> bool:
    """Whether a build of `service` could use the cache: something was built before, and
    the definition does not forbid it."""
    return not service.definition.get("skip_cache") and (store.last_built(service) is not None)


def _sha(service: Service, requested: str | None) -> str:
    # contract: assume-redeploy-sha
    pinned = (service.definition.get("git") or {}).get("sha")
    return requested or pinned or service.head_sha


ENDPOINTS = (
    Endpoint("GET", "/v1/services", list_services, "ListServicesReply"),
    Endpoint("GET", "/v1/services/{id}", get_service, "GetServiceReply"),
    Endpoint("PUT", "/v1/services/{id}", update_service, "UpdateServiceReply"),
    Endpoint("PATCH", "/v1/services/{id}", update_service, "UpdateServiceReply"),
    Endpoint("POST", "/v1/services/{id}/redeploy", redeploy, "RedeployReply"),
)
