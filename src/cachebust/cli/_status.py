"""`cachebust status`: the service's status, its latest and active deployments, the commit
each runs, and whether that is the local checkout's commit."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

import click

from cachebust.cli._common import EXIT_CODES, json_option, open_client, target_or_default

if TYPE_CHECKING:
    from cachebust._commits import CommitReport
    from cachebust._models import Deployment


@click.command(epilog=EXIT_CODES)
@click.argument("target", metavar="[APP/SERVICE]", required=False)
@json_option
def command(target: str | None, as_json: bool) -> None:
    """Show APP/SERVICE's status, its latest and active deployments, and whether it runs
    your commit.

    The latest deployment is the newest one (the one a rebuild starts); the active
    one is the service's `active_deployment_id`, taken to be the one serving traffic
    (Koyeb does not document it). While a rebuild is in progress they differ. For
    each, the commit it was built from and the branch the service builds. The last
    line, the verdict, compares the commit the service runs with your checkout's HEAD
    and its copy of that branch (origin/BRANCH, as of your last fetch: nothing is
    fetched): running your commit, N commits behind, a newer deployment still
    building, the newest one failed, the build skipped (skip_build), pinned to a commit
    (--git-sha), or another branch built. APP/SERVICE defaults to app/service in
    [tool.cachebust]. Exits 0 whatever the status is; use `cachebust watch` to wait
    for an outcome.

    Examples:

    \b
        cachebust status
        cachebust status my-app/web --json
    """
    from pathlib import Path

    from cachebust._commits import commit_report
    from cachebust._git import Checkout

    name = target_or_default(target)
    client = open_client()
    resolved = client.resolve_service(name)
    service = client.get_service(resolved.service_id)
    latest = client.newest_deployment(service)
    active = client.active_deployment(service, latest)
    report = commit_report(client, service, latest, active, Checkout.at(Path(".")), resolved.slug)
    if as_json:
        summary = {
            "target": resolved.slug,
            "app_id": resolved.app_id,
            "service_id": service.id,
            "status": service.status,
            "latest_deployment": _summary(latest),
            "active_deployment": _summary(active),
            **report.to_json(),
        }
        click.echo(json.dumps(summary))
        return
    click.echo(f"service:            {resolved.slug}")
    click.echo(f"service status:     {service.status or '(none)'}")
    click.echo(f"latest deployment:  {_line(latest)}")
    click.echo(f"active deployment:  {_line(active)}")
    click.echo(f"local HEAD:         {_local(report)}")
    click.echo(f"verdict:            {report.verdict.line()}")


def _line(deployment: Deployment | None) -> str:
    from cachebust._git import short

    if deployment is None:
        return "(none)"
    stage = deployment.stage
    building = f" (stage {stage.name}: {stage.status})" if stage and deployment.building else ""
    parts = [f"{deployment.id} {deployment.status or '(no status)'}{building}"]
    source = f"commit {short(deployment.commit)}" if deployment.commit else "no commit named"
    git = deployment.git
    parts.append(f"{source} on {git.branch or '(no branch)'}" if git else f"{source}, not git")
    if deployment.pinned_commit:
        parts.append("pinned by --git-sha")
    if deployment.skip_build:
        parts.append("skip_build")
    return ", ".join(parts)


def _local(report: CommitReport) -> str:
    from cachebust._git import short

    if report.local is None:
        return "(not a git checkout)"
    if report.local.head is None:
        return "(no commit yet)"
    return short(report.local.head)


def _summary(deployment: Deployment | None) -> dict[str, Any] | None:
    from cachebust._models import format_time

    if deployment is None:
        return None
    stage = deployment.stage
    git = deployment.git
    return {
        "id": deployment.id,
        "status": deployment.status or None,
        "created_at": format_time(deployment.created_at) if deployment.created_at else None,
        "stage": stage.name if stage else None,
        "stage_status": stage.status if stage else None,
        "commit": deployment.commit or None,
        "branch": git.branch or None if git else None,
        "pinned_commit": deployment.pinned_commit or None,
        "skip_build": deployment.skip_build,
    }
