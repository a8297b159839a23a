"""`cachebust watch`: follow a deployment until it is HEALTHY, fails, or --timeout."""

from __future__ import annotations

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


@click.command(epilog=EXIT_CODES)
@click.argument("target", metavar="[APP/SERVICE | DEPLOYMENT_ID]", required=False)
@timeout_option
@json_option
def command(target: str | None, timeout: float, as_json: bool) -> None:
    """Follow a deployment to its end, printing each status and build-stage change.

    Given APP/SERVICE (default: app/service in [tool.cachebust]), follows the
    service's newest deployment; given a deployment id (a lowercase UUID), that
    deployment. Ends with exit code 0 on HEALTHY or SLEEPING, 5 on ERROR, ERRORING,
    DEGRADED, UNHEALTHY, CANCELED, STOPPED or STASHED (a deployment that no longer
    runs); keeps waiting through SCHEDULED, CANCELING and STOPPING.

    Examples:

    \b
        cachebust watch
        cachebust watch my-app/web --timeout 20m
        cachebust watch 4f5e1c1a-0d5e-4b7e-9a51-8d7d2f3c9b10 --json
    """
    from cachebust._errors import NotFound
    from cachebust._output import make_output
    from cachebust._targets import is_uuid

    name = target_or_default(target)
    out = make_output(as_json=as_json)
    client = open_client()
    if is_uuid(name):
        deployment_id = name
        slug = client.resolve_service(client.get_deployment(deployment_id).service_id).slug
    else:
        resolved = client.resolve_service(name)
        slug = resolved.slug
        newest = client.newest_deployment(client.get_service(resolved.service_id))
        deployment_id = newest.id if newest else ""
        if not deployment_id:
            raise NotFound(
                what=f"{slug} has no deployment to watch.",
                why="Koyeb lists no latest deployment for the service.",
                fix=f"Start one with `cachebust rebuild {slug}`.",
            )
    in_flight().deployment_id = deployment_id
    out.emit(
        f"Watching deployment {deployment_id} of {slug}.",
        {"event": "watch", "target": slug, "deployment_id": deployment_id},
    )
    try:
        follow(client, deployment_id, timeout=timeout, target=slug, out=out)
    finally:
        out.close()
