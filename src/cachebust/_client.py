"""The Koyeb API client: the few endpoints the guide needs, on httpx.

Every request has a timeout; idempotent ones are retried (see `cachebust._retry`); a
redeploy is never blindly retried (see `Client.redeploy`). Errors are raised as the
typed `cachebust._errors` classes, never printed.
"""

from __future__ import annotations

import functools
import os
import ssl
from collections.abc import Iterable, Iterator, Mapping
from datetime import UTC, datetime
from typing import Any

import httpx

from cachebust._api_errors import error_from_response, error_from_transport, unreadable_response
from cachebust._api_url import check_api_url
from cachebust._clock import Clock, system_clock
from cachebust._credentials import check_token, find_api_url, find_token
from cachebust._errors import (
    NetworkError,
    NotFound,
    RateLimited,
)
from cachebust._models import (
    IN_PROGRESS,
    App,
    Deployment,
    LogEntry,
    LogType,
    Service,
    Target,
    format_time,
)
from cachebust._redeploy import Redeploy
from cachebust._retry import RateGate, is_transient, retrying
from cachebust._targets import is_uuid, parse_target
from cachebust._version import __version__
from cachebust._watch import Change, watch_deployment

#: Seconds allowed for each request (connect, read, write), unless the caller sets `timeout`.
DEFAULT_TIMEOUT = 30.0
#: Page size for list endpoints (the API's maximum).
PAGE_SIZE = 100


def request_headers(token: str) -> dict[str, str]:
    """The headers of every request (pass "***" to show them without the token)."""
    return {
        "Authorization": f"Bearer {token}",
        "Accept": "application/json",
        "User-Agent": f"cachebust/{__version__}",
    }


def _tls_for(base_url: str) -> ssl.SSLContext:
    """The TLS context for an API at `base_url`: httpx's default for https://, and for
    plain http:// (the fake API on loopback) one that trusts no certificate, since no
    request of ours goes to another URL: it saves loading the CA bundle, and would refuse
    an https:// connection should one ever be made."""
    if base_url.startswith("http://"):
        return _trusting_none()
    return _tls_context(os.environ.get("SSL_CERT_FILE"), os.environ.get("SSL_CERT_DIR"))


@functools.cache
def _tls_context(ca_file: str | None, ca_dir: str | None) -> ssl.SSLContext:
    """httpx's default TLS context, built once per CA setting rather than once per client.

    Building one loads the CA bundle (about 40 ms), and httpx builds one for each proxy
    too; every client of a process (the doctor's, the test suite's) can share it. The
    arguments are the variables httpx reads, so that changing them gives a new one.
    """
    return httpx.create_ssl_context()


@functools.cache
def _trusting_none() -> ssl.SSLContext:
    return ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)  # verifies, with no CA to verify against


class Client:
    """A Koyeb API client for redeploying, watching and reading logs.

    ```python
    with Client() as client:          # token from KOYEB_TOKEN or $HOME/.koyeb.yaml
        target = client.resolve_service("my-app/web")
        deployment = client.redeploy(target.service_id)      # use_cache=False
        final = client.wait(deployment.id, timeout=600)      # raises DeploymentFailed
    ```

    Parameters: `token` (default: found as the official CLI finds it), `base_url`
    (default: `KOYEB_URL`, else `[tool.cachebust] api-url`, else https://app.koyeb.com),
    `transport` (an `httpx.BaseTransport`, e.g. the fake API's, for tests), `clock`
    (what retries and waits sleep on), `timeout` (seconds per request) and
    `shared_pause`: after a 429, hold every request of this client (from any thread)
    until its Retry-After has passed (`cachebust._retry.RateGate`), for work side by side.
    """

    def __init__(
        self,
        token: str | None = None,
        *,
        base_url: str | None = None,
        transport: httpx.BaseTransport | None = None,
        clock: Clock | None = None,
        timeout: float = DEFAULT_TIMEOUT,
        shared_pause: bool = False,
    ) -> None:
        # Both checked before any request, as find_api_url and find_token check theirs.
        if base_url:
            base_url = check_api_url(base_url, "The base_url given to Client")
        self.base_url = (base_url or find_api_url()).rstrip("/")
        self.clock = clock if clock is not None else system_clock()
        self.timeout = timeout
        self.gate = RateGate(self.clock) if shared_pause else None
        token = find_token() if token is None else check_token(token, "The token given to Client")
        self._http = httpx.Client(
            base_url=self.base_url,
            headers=request_headers(token),
            transport=transport,
            timeout=httpx.Timeout(timeout),
            # A given transport (the fake's, the dry run's) never opens a TLS connection.
            verify=True if transport is not None else _tls_for(self.base_url),
        )

    def __repr__(self) -> str:
        return f"Client(base_url={self.base_url!r}, token='***')"

    def __enter__(self) -> Client:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def close(self) -> None:
        self._http.close()

    # -- account ----------------------------------------------------------------------

    def check_token(self) -> None:
        """Raise TokenRejected unless the token works (`GET /v1/apps?limit=1`, any token kind)."""
        self._get("/v1/apps", {"limit": 1}, action="check the token")

    # -- apps and services --------------------------------------------------------------

    def list_apps(self, *, name: str | None = None) -> list[App]:
        """Apps the token can see, all pages; `name` filters on the server side."""
        params = {"name": name} if name else {}
        return [App.from_json(a) for a in self._pages("/v1/apps", "apps", params, "list apps")]

    def get_app(self, app_id: str) -> App:
        data = self._get(f"/v1/apps/{app_id}", action="read the app", subject=f"app {app_id}")
        return App.from_json(_object(data, "app"))

    def list_services(self, *, app_id: str | None = None, name: str | None = None) -> list[Service]:
        """Services the token can see, all pages, optionally filtered by app and name."""
        params = {key: value for key, value in (("app_id", app_id), ("name", name)) if value}
        items = self._pages("/v1/services", "services", params, "list services")
        return [Service.from_json(s) for s in items]

    def get_service(self, service_id: str) -> Service:
        data = self._get(
            f"/v1/services/{service_id}", action="read the service", subject=f"service {service_id}"
        )
        return Service.from_json(_object(data, "service"))

    def resolve_service(self, name: str) -> Target:
        """Resolve `app/service` (app by name or id) or a service id, with filtered queries.

        Raises InvalidTarget for a malformed name and NotFound when nothing matches exactly.
        """
        ref = parse_target(name)
        if ref.service_id:
            service = self.get_service(ref.service_id)
            app_name = self.get_app(service.app_id).name
            return Target(service.app_id, app_name, service.id, service.name)
        app = self.resolve_app(ref.app)
        services = [
            s for s in self.list_services(app_id=app.id, name=ref.service) if s.name == ref.service
        ]
        if not services:
            raise NotFound(
                what=f"No service named {ref.service!r} in app {app.name!r}.",
                why=f"The app {app.name!r} exists but has no service called {ref.service!r}.",
                fix=f"List its services with `koyeb service list --app {app.name}`.",
            )
        return Target(app.id, app.name, services[0].id, services[0].name)

    def resolve_app(self, name: str) -> App:
        """The app named `name` (exactly), or whose id `name` is; NotFound otherwise."""
        if is_uuid(name):
            return self.get_app(name)
        apps = [a for a in self.list_apps(name=name) if a.name == name]
        if not apps:
            raise NotFound(
                what=f"No app named {name!r}.",
                why=f"The token's organization has no app called {name!r}.",
                fix="Check the spelling; `koyeb service list` shows every app/service this "
                "token can see.",
            )
        return apps[0]

    def app_services(self, name: str) -> list[Target]:
        """Every service of the app `name` (its name or id), in the API's order."""
        app = self.resolve_app(name)
        services = self.list_services(app_id=app.id)
        return [Target(app.id, app.name, s.id, s.name) for s in services if s.app_id == app.id]

    # -- deployments --------------------------------------------------------------------

    def start_redeploy(
        self, service_id: str, *, use_cache: bool = False, skip_build: bool = False
    ) -> Redeploy:
        """A redeploy of the service, ready to `send()`: the service's deployments are
        listed first, so that an ambiguous failure can be settled (`cachebust._redeploy`)."""
        before = frozenset(d.id for d in self.list_deployments(service_id))
        return Redeploy(self, service_id, before, use_cache=use_cache, skip_build=skip_build)

    def redeploy(
        self, service_id: str, *, use_cache: bool = False, skip_build: bool = False
    ) -> Deployment:
        """Start a new deployment of the service, rebuilding without the cache by default.

        Never repeated in effect: after an answer that leaves it unknown whether the
        deployment was created, the one deployment that was not there before is taken as
        the result (see `cachebust._redeploy`); RedeployUnknown when that cannot be told.
        """
        return self.start_redeploy(service_id, use_cache=use_cache, skip_build=skip_build).send()

    def list_deployments(
        self, service_id: str, *, limit: int | None = None, statuses: Iterable[str] = ()
    ) -> list[Deployment]:
        """The service's deployments, newest first; all of them unless `limit` is given,
        only those in `statuses` when given."""
        params: dict[str, Any] = {"service_id": service_id}
        if statuses:
            params["statuses"] = sorted(statuses)
        items: Iterator[Mapping[str, Any]]
        if limit is None:
            items = self._pages("/v1/deployments", "deployments", params, "list deployments")
        else:
            page = self._get(
                "/v1/deployments",
                {**params, "limit": limit, "offset": 0},
                action="list deployments",
            )
            items = _items(page, "deployments")
        deployments = [Deployment.from_json(d) for d in items]
        # The API's order is an inference (contract: assume-list-order); sorting costs nothing,
        # though with `limit` it sorts only the page the API chose.
        return _newest_first(deployments)

    def newest_deployment(self, service: Service) -> Deployment | None:
        """The service's newest deployment: its `latest_deployment_id`, unless a newer one
        is still in progress, as right after a redeploy if the API names it latest a moment
        later (contract: assume-latest-id-updated). None when it has none."""
        found = self.list_deployments(service.id, statuses=IN_PROGRESS)
        if service.latest_deployment_id and service.latest_deployment_id not in {
            d.id for d in found
        }:
            found.append(self.get_deployment(service.latest_deployment_id))
        if not found:
            return None
        newest = _newest_first(found)[0]
        # A list item lacks some fields (`skip_build`): read the deployment itself.
        return (
            newest if newest.id == service.latest_deployment_id else self.get_deployment(newest.id)
        )

    def active_deployment(self, service: Service, latest: Deployment | None) -> Deployment | None:
        """The service's active deployment (`active_deployment_id`): `latest` when it is
        that one, read otherwise. None when the service has none."""
        if not service.active_deployment_id:
            return None
        if latest is not None and latest.id == service.active_deployment_id:
            return latest
        return self.get_deployment(service.active_deployment_id)

    def get_deployment(self, deployment_id: str) -> Deployment:
        data = self._get(
            f"/v1/deployments/{deployment_id}",
            action="read the deployment",
            subject=f"deployment {deployment_id}",
        )
        return Deployment.from_json(_object(data, "deployment"))

    def cancel_deployment(self, deployment_id: str) -> None:
        """Cancel a deployment that is still pending, provisioning or scheduled."""
        retrying(self.clock, retry_on=_refused)(
            self._send,
            "POST",
            f"/v1/deployments/{deployment_id}/cancel",
            action="cancel the deployment",
            subject=f"deployment {deployment_id}",
        )

    def watch(self, deployment_id: str, *, timeout: float | None = None) -> Iterator[Change]:
        """Poll the deployment, yielding each status or build-stage change (`cachebust._watch`)."""
        return watch_deployment(self, deployment_id, timeout=timeout)

    def wait(self, deployment_id: str, *, timeout: float | None = None) -> Deployment:
        """Wait for the deployment to end; return it when HEALTHY or SLEEPING.

        Raises DeploymentFailed or WaitTimedOut.
        """
        last: Deployment | None = None
        for change in self.watch(deployment_id, timeout=timeout):
            last = change.deployment
        assert last is not None  # watch yields at least once before it returns
        return last

    # -- logs ---------------------------------------------------------------------------

    def query_logs(
        self,
        *,
        type: LogType = "runtime",
        service_id: str | None = None,
        deployment_id: str | None = None,
        start: datetime | None = None,
        end: datetime | None = None,
        limit: int = 100,
    ) -> Iterator[LogEntry]:
        """Log lines, oldest first, following `pagination.has_more` / `next_start` / `next_end`.

        The API's default window is the last 15 minutes; `start` and `end` widen it.
        """
        params: dict[str, Any] = {"type": type, "order": "asc", "limit": limit}
        params.update(
            {k: v for k, v in (("service_id", service_id), ("deployment_id", deployment_id)) if v}
        )
        if start is not None:
            params["start"] = format_time(start)
        if end is not None:
            params["end"] = format_time(end)
        while True:
            page = self._get("/v1/streams/logs/query", params, action="query the logs")
            yield from (LogEntry.from_json(entry) for entry in _items(page, "data"))
            more = page.get("pagination")
            if not isinstance(more, Mapping) or more.get("has_more") is not True:
                return
            window = (more.get("next_start"), more.get("next_end"))
            if not all(isinstance(t, str) and t for t in window) or window == (
                params.get("start"),
                params.get("end"),
            ):
                return  # a page that would repeat itself: stop rather than loop forever
            params["start"], params["end"] = window

    # -- plumbing -----------------------------------------------------------------------

    def get_json(
        self,
        path: str,
        params: Mapping[str, Any] | httpx.QueryParams | None = None,
        *,
        action: str,
    ) -> dict[str, Any]:
        """GET `path` and return the reply's JSON object as it came (retried, errors raised
        as for every request); for reading what the typed methods leave out."""
        return self._get(path, params, action=action)

    def post_json(
        self, path: str, body: Mapping[str, Any], *, key: str, action: str, subject: str = ""
    ) -> Mapping[str, Any]:
        """POST `body` once (no retry: the caller decides) and return the reply's `key`
        object; an answer without one, or without its id, is unreadable (a ServerError)."""
        data = self._send("POST", path, json=body, action=action, subject=subject, require=key)
        return _object(data, key)

    def _pages(
        self, path: str, key: str, params: Mapping[str, Any], action: str
    ) -> Iterator[Mapping[str, Any]]:
        offset = 0
        while True:
            page = self._get(path, {**params, "limit": PAGE_SIZE, "offset": offset}, action=action)
            items = list(_items(page, key))
            yield from items
            offset += len(items)
            has_next, count = page.get("has_next"), page.get("count")
            if isinstance(has_next, bool):
                more = has_next
            else:
                more = isinstance(count, int) and offset < count
            if not items or not more:
                return

    def _get(
        self,
        path: str,
        params: Mapping[str, Any] | httpx.QueryParams | None = None,
        *,
        action: str,
        subject: str = "",
    ) -> dict[str, Any]:
        return retrying(self.clock)(
            self._send, "GET", path, params=params, action=action, subject=subject
        )

    def _send(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, Any] | httpx.QueryParams | None = None,
        json: Any = None,
        action: str,
        subject: str = "",
        require: str | None = None,
    ) -> dict[str, Any]:
        """One request; `require` names an object the answer must hold, with an id."""
        if self.gate is not None:
            self.gate.wait()
        try:
            response = self._http.request(method, path, params=params, json=json)
        except httpx.TransportError as exc:
            raise error_from_transport(
                exc, action=action, base_url=self.base_url, timeout=self.timeout
            ) from None
        if not response.is_success:
            error = error_from_response(
                response, action=action, subject=subject, now=self.clock.now()
            )
            if self.gate is not None and isinstance(error, RateLimited):
                self.gate.hold(error.retry_after)
            raise error from None
        try:
            data = response.json()
        except ValueError:
            data = None
        if not isinstance(data, dict) or (require is not None and not _has_id(data.get(require))):
            raise unreadable_response(response, action=action)
        return data


def _newest_first(deployments: Iterable[Deployment]) -> list[Deployment]:
    oldest = datetime.min.replace(tzinfo=UTC)
    return sorted(deployments, key=lambda d: d.created_at or oldest, reverse=True)


def _refused(exc: BaseException) -> bool:
    """Failures that prove the server did not act: a rate limit, or a request never sent."""
    return _rate_limited(exc) or (isinstance(exc, NetworkError) and not exc.sent)


def _rate_limited(exc: BaseException) -> bool:
    return isinstance(exc, RateLimited) and is_transient(exc)


def _has_id(value: object) -> bool:
    return isinstance(value, Mapping) and isinstance(value.get("id"), str) and bool(value["id"])


def _object(data: Mapping[str, Any], key: str) -> Mapping[str, Any]:
    value = data.get(key)
    return value if isinstance(value, Mapping) else {}


def _items(page: Mapping[str, Any], key: str) -> Iterator[Mapping[str, Any]]:
    value = page.get(key)
    items = value if isinstance(value, list) else []
    return (item for item in items if isinstance(item, Mapping))
