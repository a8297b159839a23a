"""The Koyeb half of the troubleshooting list: the token works, the service exists, what
its latest deployment did, whether it runs the checkout's commit, and whether its build
used the cache.

Uses the runbook package's `Client`, so these checks see exactly what `cachebust
rebuild` would. Which commit runs is `cachebust status`'s verdict
(`cachebust._commits`), against the checked folder's git checkout. Whether the latest
build used the cache is inferred from its build log (BuildKit's `#N CACHED` marks),
because no Koyeb field records it, with the same words as `cachebust rebuild`
(`cachebust._build_cache`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import httpx

from cachebust._build_cache import read_build_cache
from cachebust._client import Client
from cachebust._clock import Clock
from cachebust._commits import commit_report
from cachebust._config import Settings
from cachebust._credentials import api_url, find_token
from cachebust._doctor._report import Check, failed, passed, warned
from cachebust._errors import AuthError, CachebustError
from cachebust._git import Checkout
from cachebust._logs import build_logs_deployment
from cachebust._models import FAILURE, SUCCESS, Deployment, Service

#: Seconds allowed per request: a doctor should answer quickly, even when the API does not.
REQUEST_TIMEOUT = 10.0


@dataclass(frozen=True, slots=True)
class RemoteTarget:
    settings: Settings | None
    environ: Mapping[str, str]
    #: For tests: the fake API's in-process transport.
    transport: httpx.BaseTransport | None = None
    clock: Clock | None = None

    @property
    def api_url(self) -> str:
        return api_url(self.environ, self.settings.api_url if self.settings else None)


def check_remote(target: RemoteTarget) -> list[Check]:
    try:
        token = find_token(target.environ)
    except AuthError as exc:  # none, or one no HTTP header can carry
        return [failed("remote.token", f"{exc.what} {exc.why}", exc.fix)]
    client = Client(
        token,
        base_url=target.api_url,
        transport=target.transport,
        clock=target.clock,
        timeout=REQUEST_TIMEOUT,
    )
    with client:
        try:
            client.check_token()
        except CachebustError as exc:
            return [failed("remote.token", f"{exc.what} {exc.why}", exc.fix)]
        checks = [passed("remote.token", "The token is accepted (GET /v1/apps?limit=1 answered).")]
        checks.extend(_service_checks(client, target.settings))
    return checks


def _service_checks(client: Client, settings: Settings | None) -> list[Check]:
    if settings is None:
        return [
            warned(
                "remote.service",
                "No [tool.cachebust] table, so no service to look up.",
                "Add app and service to [tool.cachebust] in the project's pyproject.toml.",
            )
        ]
    try:
        target = client.resolve_service(settings.target)
        service = client.get_service(target.service_id)
    except CachebustError as exc:
        return [failed("remote.service", f"{exc.what} {exc.why}", exc.fix)]
    checks = [passed("remote.service", f"{settings.target} resolves to service {service.id}.")]
    try:
        latest = client.newest_deployment(service)
    except CachebustError as exc:
        return [*checks, failed("remote.deployment", f"{exc.what} {exc.why}", exc.fix)]
    if latest is None:
        checks.append(
            warned(
                "remote.deployment",
                f"{settings.target} has no deployment yet.",
                "Start one with `cachebust rebuild`.",
            )
        )
        return checks
    checks.append(_deployment_check(latest))
    checks.append(_commit_check(client, service, latest, settings))
    checks.append(_cache_check(client, service, latest))
    return checks


def _deployment_check(latest: Deployment) -> Check:
    status = latest.status or "(no status)"
    message = f"The latest deployment, {latest.id[:8]}, is {status}."
    if latest.status in SUCCESS:
        return passed("remote.deployment", message)
    if latest.status in FAILURE:
        return failed(
            "remote.deployment",
            message + (f" Koyeb says: {' '.join(latest.messages)}" if latest.messages else ""),
            "Read why with `cachebust logs --type build` (or without --type for the runtime), "
            "fix it, then `cachebust rebuild`.",
        )
    return warned(
        "remote.deployment",
        message + " It is still in progress.",
        f"Follow it to the end with `cachebust watch {latest.id}`.",
    )


def _commit_check(
    client: Client, service: Service, latest: Deployment, settings: Settings
) -> Check:
    """Whether the service runs the checkout's HEAD: `cachebust status`'s verdict."""
    try:
        active = client.active_deployment(service, latest)
        report = commit_report(
            client, service, latest, active, Checkout.at(settings.root), settings.target
        )
    except CachebustError as exc:
        return warned("remote.commit", f"Could not tell which commit runs: {exc.what}", exc.fix)
    verdict = report.verdict
    message = verdict.message[:1].upper() + verdict.message[1:]
    if report.up_to_date:
        return passed("remote.commit", message)
    return warned(
        "remote.commit",
        message,
        verdict.fix or f"See what runs with `cachebust status {settings.target}`.",
    )


def _cache_check(client: Client, service: Service, latest: Deployment) -> Check:
    try:
        build = build_logs_deployment(client, service, latest)
        verdict = read_build_cache(client, build)
    except CachebustError as exc:
        return warned(
            "remote.build-cache",
            f"Could not read the build log to tell whether the cache was used: {exc.what}",
            exc.fix,
        )
    reused = "" if build.id == latest.id else f" (the image of {build.id[:8]}, reused)"
    message = verdict.sentence(f"the latest build{reused}")
    if verdict.kind == "unknown":
        return warned(
            "remote.build-cache", message, "Check it by hand with `cachebust logs --type build`."
        )
    if verdict.kind == "uncached":
        return passed("remote.build-cache", message)
    return warned(
        "remote.build-cache",
        message,
        "If the service runs stale code, force an uncached build with `cachebust rebuild`.",
    )
