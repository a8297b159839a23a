"""`cachebust logs`: a service's build or runtime logs, once or following (--tail)."""

from __future__ import annotations

import json

import click

from cachebust.cli._common import (
    DEPLOYMENT_ID,
    DURATION,
    EXIT_CODES,
    json_option,
    open_client,
    target_or_default,
)
from cachebust.cli._interrupts import SigTerm


@click.command(epilog=EXIT_CODES)
@click.argument("target", metavar="[APP/SERVICE]", required=False)
@click.option(
    "--type",
    "log_type",
    type=click.Choice(["build", "runtime"]),
    default="runtime",
    show_default=True,
    help="Build logs (the image build) or runtime logs (the running instances).",
)
@click.option(
    "--deployment",
    "deployment_id",
    type=DEPLOYMENT_ID,
    metavar="ID",
    help="Only this deployment. Build logs default to the latest deployment's build.",
)
@click.option(
    "--since",
    type=DURATION,
    help="Start this long ago, e.g. 15m or 2h. Default: the deployment's creation for "
    "build logs, 15m for runtime logs.",
)
@click.option(
    "--tail", is_flag=True, help="Keep printing new lines (build logs stop with the build)."
)
@json_option
def command(
    target: str | None,
    log_type: str,
    deployment_id: str | None,
    since: float | None,
    tail: bool,
    as_json: bool,
) -> None:
    """Print APP/SERVICE's build or runtime logs, oldest first.

    Build logs show whether Koyeb rebuilt each Dockerfile step if its builder prints
    BuildKit's plain progress, which Koyeb does not document: a step served from the
    cache is then followed by a `#N CACHED` line. APP/SERVICE defaults to app/service
    in [tool.cachebust].

    Examples:

    \b
        cachebust logs --type build
        cachebust logs my-app/web --type build --deployment 4f5e1c1a-0d5e-4b7e-9a51-8d7d2f3c9b10
        cachebust logs --since 1h --tail
    """
    from datetime import timedelta

    from cachebust._logs import build_logs_deployment, read_logs
    from cachebust._models import format_time

    name = target_or_default(target)
    client = open_client()
    resolved = client.resolve_service(name)
    deployment = client.get_deployment(deployment_id) if deployment_id else None
    if log_type == "build" and deployment is None:
        service = client.get_service(resolved.service_id)
        deployment = build_logs_deployment(client, service, client.newest_deployment(service))
        deployment_id = deployment.id
    if since is not None:
        start = client.clock.now() - timedelta(seconds=since)
    elif log_type == "build" and deployment is not None and deployment.created_at:
        start = deployment.created_at
    else:
        start = None

    def build_over() -> bool:
        assert deployment_id is not None
        return client.get_deployment(deployment_id).build_over

    entries = read_logs(
        client,
        type="build" if log_type == "build" else "runtime",
        service_id=None if deployment_id else resolved.service_id,
        deployment_id=deployment_id,
        start=start,
        follow=tail,
        until=build_over if tail and log_type == "build" and deployment_id else None,
    )
    printed = 0
    try:
        for entry in entries:
            printed += 1
            if as_json:
                when = format_time(entry.created_at) if entry.created_at else None
                record = {"created_at": when, "msg": entry.msg, "labels": dict(entry.labels)}
                click.echo(json.dumps(record))
            else:
                click.echo(entry.msg)
    except KeyboardInterrupt as stop:
        if isinstance(stop, SigTerm):
            raise
        return  # --tail ends with Ctrl-C; that is not an error
    if not printed and not as_json:
        where = f"deployment {deployment_id}" if deployment_id else resolved.slug
        click.echo(f"No {log_type} log lines for {where} in this window.", err=True)
