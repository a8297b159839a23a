"""`cachebust status`: the service's status and its latest and active deployments."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

import click

from cachebust.cli._common import EXIT_CODES, json_option, open_client, target_or_default

if TYPE_CHECKING:
    from cachebust._models import Deployment


@click.command(epilog=EXIT_CODES)
@click.argument("target", metavar="[APP/SERVICE]", required=False)
@json_option
def command(target: str | None, as_json: bool) -> None:
    """Show APP/SERVICE's status and its latest and active deployments.

    The latest deployment is the newest one (the one a rebuild starts); the active
    one is the service's `active_deployment_id`, taken to be the one serving traffic
    (Koyeb does not document it). While a rebuild is in progress they differ.
    APP/SERVICE defaults to app/service in [tool.cachebust]. Exits 0 whatever the
    status is; use `cachebust watch` to wait for an outcome.

    Examples:

    \b
        cachebust status
        cachebust status my-app/web --json
    """
    name = target_or_default(target)
    client = open_client()
    resolved = client.resolve_service(name)
    service = client.get_service(resolved.service_id)
    latest = client.newest_deployment(service)
    active = None
    if service.active_deployment_id:
        same = latest is not None and latest.id == service.active_deployment_id
        active = latest if same else client.get_deployment(service.active_deployment_id)
    if as_json:
        report = {
            "target": resolved.slug,
            "app_id": resolved.app_id,
            "service_id": service.id,
            "status": service.status,
            "latest_deployment": _summary(latest),
            "active_deployment": _summary(active),
        }
        click.echo(json.dumps(report))
        return
    click.echo(f"service:            {resolved.slug}")
    click.echo(f"service status:     {service.status or '(none)'}")
    click.echo(f"latest deployment:  {_line(latest)}")
    click.echo(f"active deployment:  {_line(active)}")


def _line(deployment: Deployment | None) -> str:
    if deployment is None:
        return "(none)"
    stage = deployment.stage
    building = f" (stage {stage.name}: {stage.status})" if stage else ""
    return f"{deployment.id} {deployment.status or '(no status)'}" + (
        building if deployment.building else ""
    )


def _summary(deployment: Deployment | None) -> dict[str, Any] | None:
    from cachebust._models import format_time

    if deployment is None:
        return None
    stage = deployment.stage
    return {
        "id": deployment.id,
        "status": deployment.status or None,
        "created_at": format_time(deployment.created_at) if deployment.created_at else None,
        "stage": stage.name if stage else None,
        "stage_status": stage.status if stage else None,
    }
