"""The organization a new fake starts with, built from `[tool.cachebust]`.

The configured `app/service` is a git-sourced web service built by Koyeb from the
configured Dockerfile, with three past deployments (the newest HEALTHY and active,
the older two STOPPED). A second app, whose name extends the configured one, has a
service of the same name, so a client that resolves names loosely picks the wrong
one.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from cachebust._config import Settings
from cachebust.fake._ids import IdFactory
from cachebust.fake._lifecycle import create_deployment, sync
from cachebust.fake._state import App, JsonDict, Service, Store, User

_DAY = timedelta(days=1)
_REGION = "fra"


@dataclass(frozen=True)
class Seeded:
    store: Store
    app: App
    service: Service


def seed(settings: Settings, *, now: datetime, seed: int) -> Seeded:
    ids = IdFactory(seed)
    user = User(ids.uuid(), "fake-user@example.com", "Fake User", now - 400 * _DAY)
    store = Store(settings, ids, organization_id=ids.uuid(), user=user)
    app = _app(store, settings.app, now - 30 * _DAY)
    service = _service(store, app, settings.service, now - 30 * _DAY)
    # Uncached, cached, uncached: the history a reader of this guide typically has.
    for days_ago, cached in ((3, False), (2, True), (1, False)):
        _deploy(store, service, now - days_ago * _DAY, cached=cached)
    other = _app(store, f"{settings.app}-staging", now - 20 * _DAY)
    _deploy(store, _service(store, other, settings.service, now - 20 * _DAY), now - 10 * _DAY)
    sync(store, now)
    store.app_id, store.service_id = app.id, service.id
    return Seeded(store, app, service)


def _app(store: Store, name: str, created: datetime) -> App:
    app = App(
        id=store.ids.uuid(),
        name=name,
        created_at=created,
        updated_at=created,
        domain_id=store.ids.uuid(),
        domain=f"{name}-{store.ids.hex(8)}.koyeb.app",
    )
    store.apps[app.id] = app
    return app


def _service(store: Store, app: App, name: str, created: datetime) -> Service:
    service = Service(
        id=store.ids.uuid(),
        name=name,
        app_id=app.id,
        created_at=created,
        updated_at=created,
        definition=definition(store.settings, name, app.name),
        head_sha=store.ids.sha(),
    )
    store.services[service.id] = service
    return service


def _deploy(store: Store, service: Service, at: datetime, *, cached: bool = False) -> None:
    service.head_sha = store.ids.sha()
    create_deployment(store, service, now=at, cached=cached, skip_build=False, sha=service.head_sha)
    sync(store, at + timedelta(hours=1))


def definition(settings: Settings, service: str, app: str) -> JsonDict:
    """A DeploymentDefinition as `koyeb service create --git-builder docker` would store it."""
    scope = [f"region:{_REGION}"]
    return {
        "name": service,
        "type": "WEB",
        "strategy": {"type": "DEPLOYMENT_STRATEGY_TYPE_ROLLING"},
        "routes": [{"port": 8000, "path": "/"}],
        "ports": [{"port": 8000, "protocol": "http"}],
        "env": [],
        "regions": [_REGION],
        "scalings": [{"scopes": scope, "min": 1, "max": 1}],
        "instance_types": [{"scopes": scope, "type": "nano"}],
        "health_checks": [
            {
                "grace_period": 5,
                "interval": 30,
                "restart_limit": 3,
                "timeout": 5,
                "tcp": {"port": 8000},
            }
        ],
        "skip_cache": False,
        "git": {
            "repository": f"github.com/example/{app}",
            "branch": "main",
            "no_deploy_on_push": False,
            "docker": {"dockerfile": settings.dockerfile},
        },
    }
