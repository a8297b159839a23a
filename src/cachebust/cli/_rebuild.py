"""`cachebust rebuild`: redeploy a service without the build cache, watch it end, and say
from its build log whether the build used the cache; or several services side by side
(`cachebust._fleet`), ending with a table of their outcomes."""

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
    target_or_default,
    timeout_option,
)

if TYPE_CHECKING:
    from cachebust._client import Client
    from cachebust._models import Deployment
    from cachebust._output import Output


@click.command(epilog=EXIT_CODES)
@click.argument("targets", metavar="[APP/SERVICE]...", nargs=-1)
@click.option(
    "--app",
    metavar="APP",
    help="With --all: the app (its name or id) whose services to rebuild.",
)
@click.option(
    "--all",
    "all_services",
    is_flag=True,
    help="Rebuild every service of --app APP (listed with GET /v1/services?app_id=...).",
)
@click.option(
    "--parallel",
    type=click.IntRange(1, 32),
    metavar="N",
    default=4,
    show_default=True,
    help="With several services: at most this many in progress at once, each from its "
    "redeploy until its deployment ends.",
)
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
    targets: tuple[str, ...],
    app: str | None,
    all_services: bool,
    parallel: int,
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

    With several APP/SERVICE, or --app APP --all, it rebuilds each service once, at most
    --parallel at a time, and follows them all: a line per service on a terminal,
    lines prefixed with the service otherwise, events with a `target` field under
    --json. A 429 from the API pauses all of them for its Retry-After. It ends with a
    table (service, deployment, final status, duration, cache verdict) and exits with
    the code of the worst outcome: an API error (7) before a failed deployment (5)
    before a timeout (6). Interrupted, it says which deployments go on and how to
    resume watching them.

    Examples:

    \b
        cachebust rebuild
        cachebust rebuild my-app/web --timeout 15m --logs
        cachebust rebuild --dry-run
        cachebust rebuild my-app/web my-app/worker
        cachebust rebuild --app my-app --all --parallel 2
    """
    from cachebust._errors import CachebustError

    try:
        if len(targets) > 1 or all_services or app is not None:
            _check_many(targets, app, all_services, show_logs=show_logs, dry_run=dry_run)
            _rebuild_many(
                [target_or_default(t) for t in targets],
                app,
                parallel,
                use_cache=use_cache,
                wait=not no_wait,
                timeout=timeout,
                as_json=as_json,
            )
        else:
            _rebuild_one(
                target_or_default(targets[0] if targets else None),
                use_cache=use_cache,
                no_wait=no_wait,
                show_logs=show_logs,
                timeout=timeout,
                dry_run=dry_run,
                as_json=as_json,
            )
    except CachebustError as exc:
        if as_json:  # the last event; the error is also rendered on stderr, as ever
            click.echo(json.dumps(exc.to_json()))
        raise


def _rebuild_one(
    name: str,
    *,
    use_cache: bool,
    no_wait: bool,
    show_logs: bool,
    timeout: float,
    dry_run: bool,
    as_json: bool,
) -> None:
    from cachebust._output import make_output
    from cachebust._targets import parse_target

    parse_target(name)  # a malformed name fails here, before any request
    if dry_run:
        _dry_run(name, use_cache=use_cache, as_json=as_json)
        return
    out = make_output(as_json=as_json)
    try:
        _rebuild(
            name, out, use_cache=use_cache, no_wait=no_wait, show_logs=show_logs, timeout=timeout
        )
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


def _check_many(
    targets: tuple[str, ...], app: str | None, all_services: bool, *, show_logs: bool, dry_run: bool
) -> None:
    """Refuse the combinations a rebuild of several services does not take."""
    from cachebust._errors import ConfigError

    if all_services != (app is not None):
        raise ConfigError(
            what="--app and --all go together.",
            why="--app APP --all rebuilds every service of APP; neither means anything alone.",
            fix="Write both (cachebust rebuild --app APP --all), or name the services as "
            "APP/SERVICE arguments.",
        )
    if all_services and targets:
        raise ConfigError(
            what="--all takes no APP/SERVICE arguments.",
            why="--app APP --all already names the services: every one of APP.",
            fix="Leave out the arguments, or leave out --app and --all.",
        )
    for flag, given in (("--logs", show_logs), ("--dry-run", dry_run)):
        if given:
            raise ConfigError(
                what=f"{flag} works on one service only.",
                why=f"With several services, {flag} would interleave their outputs.",
                fix=f"Run `cachebust rebuild APP/SERVICE {flag}` for one service at a time.",
            )


def _rebuild_many(
    names: list[str],
    app: str | None,
    parallel: int,
    *,
    use_cache: bool,
    wait: bool,
    timeout: float,
    as_json: bool,
) -> None:
    """Rebuild several services (`cachebust._fleet`): the table, then the worst exit code."""
    from cachebust._errors import CachebustError, NotFound
    from cachebust._fleet import Ledger, rebuild_fleet, worst_exit_code
    from cachebust._models import Target
    from cachebust._targets import parse_target
    from cachebust.cli import render_error
    from cachebust.cli._fleet_output import make_fleet_display
    from cachebust.cli._interrupts import fleet_interruption

    for name in names:
        parse_target(name)  # a malformed name fails here, before any request
    client = open_client(shared_pause=True)
    found: list[Target] = (
        client.app_services(app) if app is not None else [client.resolve_service(n) for n in names]
    )
    if not found:
        raise NotFound(
            what=f"App {app!r} has no services.",
            why="Listing its services returned none.",
            fix="Check the app with `koyeb service list`, or name the services as APP/SERVICE.",
        )
    # Each service once, however many times (by name or id) it was named.
    unique = list({target.service_id: target for target in found}.values())
    slugs = [target.slug for target in unique]
    display = make_fleet_display(slugs, as_json=as_json)
    ledger = Ledger()
    try:
        results = rebuild_fleet(
            client,
            unique,
            out=display,
            ledger=ledger,
            parallel=parallel,
            use_cache=use_cache,
            wait=wait,
            timeout=timeout,
        )
    except KeyboardInterrupt as stop:
        display.close()
        raise fleet_interruption(stop, ledger, slugs) from None
    display.results(results)
    display.close()
    worst = worst_exit_code(results)
    if worst:
        failed = [r for r in results if r.error is not None]
        render_error(
            CachebustError(
                what=f"{len(failed)} of {len(results)} rebuilds did not end as hoped: "
                + ", ".join(f"{r.target} ({type(r.error).__name__})" for r in failed)
                + ".",
                why="Each one's error, with its fix, is printed above it.",
                fix="Follow each fix; `cachebust watch DEPLOYMENT` resumes watching one that "
                "timed out.",
            )
        )
        click.get_current_context().exit(int(worst))


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
