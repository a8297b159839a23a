"""`cachebust rebuild`: redeploy a service without the build cache, watch it end, and say
from its build log whether the build used the cache."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

import click

from cachebust.cli._common import (
    EXIT_CODES,
    follow,
    in_flight,
    json_option,
    open_client,
    target_argument,
    target_or_default,
    timeout_option,
)

if TYPE_CHECKING:
    from cachebust._client import Client
    from cachebust._models import Deployment
    from cachebust._output import Output


@click.command(epilog=EXIT_CODES)
@target_argument
@click.option(
    "--use-cache",
    is_flag=True,
    help="Send use_cache: true, asking Koyeb to use its build cache (default: use_cache: "
    "false, a build without the cache per the official CLI).",
)
@click.option("--no-wait", is_flag=True, help="Return once the deployment is created.")
@click.option(
    "--logs",
    "show_logs",
    is_flag=True,
    help="Print the build log while the image builds; it stops when the build ends.",
)
@timeout_option
@click.option("--dry-run", is_flag=True, help="Print the requests it would send; send nothing.")
@json_option
def command(
    target: str | None,
    use_cache: bool,
    no_wait: bool,
    show_logs: bool,
    timeout: float,
    dry_run: bool,
    as_json: bool,
) -> None:
    """Redeploy APP/SERVICE without the build cache, then wait until it is HEALTHY.

    Sends one `POST /v1/services/{id}/redeploy` with `use_cache: false` (the
    same request as `koyeb service redeploy APP/SERVICE`, which by the official CLI's
    account builds without the cache), then follows the new deployment to HEALTHY,
    printing each status and build-stage change (with --logs, the build log instead
    while the image builds). Once HEALTHY, it reads the build log and says whether every
    Dockerfile step ran or which came from the cache: an inference from BuildKit-style
    `#N CACHED` lines, the same as `cachebust doctor`'s. APP/SERVICE defaults to
    app/service in [tool.cachebust].

    Examples:

    \b
        cachebust rebuild
        cachebust rebuild my-app/web --timeout 15m --logs
        cachebust rebuild --dry-run
    """
    from cachebust._errors import CachebustError
    from cachebust._output import make_output
    from cachebust._targets import parse_target

    name = target_or_default(target)
    parse_target(name)  # a malformed name fails here, before any request
    if dry_run:
        _dry_run(name, use_cache=use_cache, as_json=as_json)
        return
    out = make_output(as_json=as_json)
    try:
        _rebuild(
            name, out, use_cache=use_cache, no_wait=no_wait, show_logs=show_logs, timeout=timeout
        )
    except CachebustError as exc:
        out.fail(exc.to_json())
        raise
    finally:
        out.close()


def _rebuild(
    name: str, out: Output, *, use_cache: bool, no_wait: bool, show_logs: bool, timeout: float
) -> None:
    """Redeploy `name` and follow it (the command's work; the command reports errors)."""
    client = open_client()
    resolved = client.resolve_service(name)
    how = "with" if use_cache else "without"
    out.emit(
        f"Redeploying {resolved.slug} {how} the build cache (use_cache={str(use_cache).lower()}).",
        {
            "event": "redeploy",
            "target": resolved.slug,
            "service_id": resolved.service_id,
            "use_cache": use_cache,
        },
    )
    inflight = in_flight()
    inflight.target = resolved.slug
    inflight.redeploy = client.start_redeploy(resolved.service_id, use_cache=use_cache)
    deployment = inflight.redeploy.send()
    inflight.deployment_id = deployment.id
    out.emit(
        f"Deployment {deployment.id} created.",
        {"event": "created", "deployment_id": deployment.id},
    )
    if no_wait:
        out.emit(
            f"Not waiting; follow it with: cachebust watch {deployment.id}",
            {"event": "not_waiting", "deployment_id": deployment.id},
        )
        return
    started = client.clock.monotonic()
    log = _stream_build_log(client, deployment, out, started + timeout) if show_logs else None
    waited = client.clock.monotonic() - started
    follow(client, deployment.id, timeout=timeout, target=resolved.slug, out=out, waited=waited)
    _report_cache(client, deployment, out, log)


def _stream_build_log(
    client: Client, deployment: Deployment, out: Output, deadline: float
) -> list[str]:
    """Print the build log until the build ends (or the deadline passes); its lines."""
    from cachebust._build_cache import read_build_log
    from cachebust._models import format_time

    lines: list[str] = []
    for entry in read_build_log(
        client, deployment, follow=True, give_up=lambda: client.clock.monotonic() >= deadline
    ):
        lines.append(entry.msg)
        when = format_time(entry.created_at) if entry.created_at else None
        out.emit(entry.msg, {"event": "log", "created_at": when, "msg": entry.msg})
    return lines


def _report_cache(
    client: Client, deployment: Deployment, out: Output, log: list[str] | None
) -> None:
    """Say whether the build used the cache, from the log already read or a new read. The
    deployment is healthy whatever this finds, so a failed read is reported, not raised."""
    from cachebust._build_cache import CacheVerdict, cache_verdict, read_build_cache
    from cachebust._errors import CachebustError

    try:
        verdict = cache_verdict(log) if log is not None else read_build_cache(client, deployment)
        message = verdict.sentence(f"the build of {deployment.id[:8]}")
    except CachebustError as exc:
        verdict = CacheVerdict(())
        message = f"Could not read the build log to tell whether the cache was used: {exc.what}"
    event = {"event": "cache", "deployment_id": deployment.id, **verdict.to_json()}
    out.emit(message, {**event, "message": message})


def _dry_run(name: str, *, use_cache: bool, as_json: bool) -> None:
    """The requests a rebuild sends, from the same code path, against a recorder."""
    from urllib.parse import unquote

    from cachebust._client import Client
    from cachebust._dry_run import DryRunTransport

    recorder = DryRunTransport()
    # "***" stands where the token goes: the dry run never reads the real one.
    with Client("***", transport=recorder) as client:
        resolved = client.resolve_service(name)
        client.start_redeploy(resolved.service_id, use_cache=use_cache).send()
    *lookups, post = [f"{r.method} {unquote(str(r.url))}" for r in recorder.requests]
    sent = recorder.requests[-1]
    headers = {name.title(): value for name, value in sent.headers.items()}
    body = sent.content.decode()
    if as_json:
        event = {"event": "dry_run", "lookups": lookups, "request": post, "headers": headers}
        click.echo(json.dumps({**event, "body": json.loads(body)}))
        return
    click.echo(f"Dry run: nothing is sent. To redeploy {name}, cachebust would send:")
    for line in lookups:
        click.echo(line)
    click.echo(post)
    for key, value in headers.items():
        click.echo(f"{key}: {value}")
    click.echo("")
    click.echo(body)
