"""The organization a new fake starts with, built from `[tool.cachebust]`.

The configured `app/service` is a git-sourced web service built by Koyeb from the
configured Dockerfile, with three past deployments: the first, when the service was
created; one started by a git push (built from the cache, by default: contract:
assume-push-uses-cache); and the newest, an uncached redeploy of the pushed commit (what
the guide's workflow runs after each push), HEALTHY and active. The older two ended as
replaced deployments do (contract: assume-previous-deployment-end). A second app, whose
name extends the configured one, has a service of the same name, so a client that
resolves names loosely picks the wrong one.

More services can be named (`services`, as `APP/SERVICE`): each, in its app (made when
new), is built the same way from the same Dockerfile, with one HEALTHY deployment. A
test adds more later with `add_service`.

The commits are real when they can be: the push and the redeploy build the local
checkout's HEAD (of the folder holding `[tool.cachebust]`), and the first deployment its
parent, so that `cachebust status` in that checkout says what is true of it. Outside a
git checkout, and for a parent that does not exist, the commits are generated.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path, PurePosixPath

from cachebust._config import Settings
from cachebust._git import Checkout
from cachebust.fake._assumptions import Assumed
from cachebust.fake._ids import IdFactory
from cachebust.fake._lifecycle import create_deployment, sync
from cachebust.fake._push import push
from cachebust.fake._state import App, JsonDict, Service, Store, User

_DAY = timedelta(days=1)
_HOUR = timedelta(hours=1)
#: How long before now a service `add_service` adds was built.
HOUR = _HOUR
_REGION = "fra"


@dataclass(frozen=True)
class Seeded:
    store: Store
    app: App
    service: Service


#: How many commits of the local history the seeded deployments build: HEAD and its parent.
HISTORY = 2


def local_commits(root: Path, head: str | None = None) -> list[str]:
    """`head` (default: the checkout's HEAD) and its first parent, newest first, as far as
    the checkout at `root` has them: [] outside a checkout, `[head]` for a commit it lacks."""
    checkout = Checkout.at(root)
    if checkout is None:
        return [head] if head else []
    found = checkout.history(head or "HEAD", HISTORY)
    if head and (not found or found[0] != head):
        return [head]
    return found


def seed(
    settings: Settings,
    *,
    now: datetime,
    seed: int,
    assumed: Assumed,
    commits: Sequence[str] = (),
    services: Sequence[str] = (),
) -> Seeded:
    """The organization; `commits` are what the service's branch held, newest first (its
    HEAD, then older ones), generated where missing; `services` more `APP/SERVICE`s."""
    ids = IdFactory(seed)
    user = User(ids.uuid(), "fake-user@example.com", "Fake User", now - 400 * _DAY)
    store = Store(settings, ids, organization_id=ids.uuid(), user=user, assumed=assumed)
    app = _app(store, settings.app, now - 30 * _DAY)
    service = _service(store, app, settings.service, now - 30 * _DAY)
    # Drawn whatever `commits` holds, so that the ids after them never depend on it.
    generated = [ids.sha(), ids.sha()]
    head = commits[0] if commits else generated[0]
    first = commits[1] if len(commits) > 1 else generated[1]
    # The history a reader of this guide typically has: the service's first build, a
    # push, then an uncached redeploy of the commit pushed.
    service.head_sha = first
    _deploy(store, service, now - 3 * _DAY)
    push(store, service, now - 2 * _DAY, sha=head)
    sync(store, now - 2 * _DAY + _HOUR)
    _deploy(store, service, now - 1 * _DAY)
    other = _app(store, f"{settings.app}-staging", now - 20 * _DAY)
    _deploy(store, _service(store, other, settings.service, now - 20 * _DAY), now - 10 * _DAY)
    # After the others, so that naming more services changes none of their ids.
    for name in services:
        add_service(store, name, now - 5 * _DAY)
    sync(store, now)
    store.app_id, store.service_id = app.id, service.id
    return Seeded(store, app, service)


def add_service(store: Store, target: str, at: datetime) -> Service:
    """A service `APP/SERVICE` (its app made when new) built at `at`, HEALTHY an hour later.

    Raises ValueError for a name that is not `APP/SERVICE` or a service that exists.
    """
    app_name, slash, name = target.partition("/")
    if not (slash and app_name and name) or "/" in name:
        raise ValueError(f"a service is named APP/SERVICE, not {target!r}")
    app = next((a for a in store.apps.values() if a.name == app_name), None)
    if app is None:
        app = _app(store, app_name, at)
    if any(s.app_id == app.id and s.name == name for s in store.services.values()):
        raise ValueError(f"service {target} exists already")
    service = _service(store, app, name, at)
    _deploy(store, service, at)
    return service


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
    """A redeploy of the branch's head commit."""
    create_deployment(store, service, now=at, cached=cached, skip_build=False, sha=service.head_sha)
    sync(store, at + _HOUR)


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
        # As the CI/CD page sets it up: the Dockerfile's folder as the work directory, and
        # the builder's default Dockerfile name in it (contract: api-git-workdir,
        # api-dockerfile-lookup).
        "git": {
            "repository": f"github.com/example/{app}",
            "branch": "main",
            "no_deploy_on_push": False,
            "workdir": str(PurePosixPath(settings.dockerfile).parent),
            "docker": {"dockerfile": PurePosixPath(settings.dockerfile).name},
        },
    }
