"""`cachebust contract`: check on a real Koyeb account what the fake Koyeb API assumes."""

from __future__ import annotations

import click

from cachebust._errors import ExitCode
from cachebust.cli._common import exit_codes_epilog, open_client


@click.command(
    epilog=exit_codes_epilog(
        ExitCode.OK,
        ExitCode.CHECKS_FAILED,
        ExitCode.USAGE,
        ExitCode.AUTH,
        ExitCode.NOT_FOUND,
        ExitCode.API,
    )
)
@click.option(
    "--target",
    metavar="APP/SERVICE",
    help="The service whose deployments and build logs are read. Default: --redeploy's, "
    "else app/service in [tool.cachebust], else the first service listed.",
)
@click.option(
    "--redeploy",
    metavar="APP/SERVICE",
    help="Also redeploy this service once, without the build cache, and follow it to its "
    "end, to observe the deployment lifecycle.",
)
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object per line.")
def command(target: str | None, redeploy: str | None, as_json: bool) -> None:
    """Check the fake Koyeb API's assumptions against the account the token reaches.

    Where Koyeb's API document and the official CLI leave a behaviour open, the fake
    assumes one (`cachebust fake-api --list-assumptions`). This reads the account's
    apps, services, and one service's deployments and build logs, and prints one line
    per assumption: `holds`, `differs: ...` with what it saw, or `not observable: ...`
    with why; then the documented facts it checks (reply models, status values, paging).
    It changes nothing, unless --redeploy names a service to redeploy once (use_cache
    false), which shows where SCHEDULED sits, when the service's ids move, and whether
    that build used the cache. Needs koyeb-sdk (the `fake` extra) for the reply models.

    Examples:

    \b
        cachebust contract
        cachebust contract --target my-app/web --json
        cachebust contract --redeploy my-app/staging
    """
    from cachebust._contract import check_contract
    from cachebust._targets import parse_target

    for name in (target, redeploy):
        if name is not None:
            parse_target(name)  # a malformed name fails here, before any request
    report = check_contract(open_client(), target=target, redeploy=redeploy)
    click.echo("\n".join(report.json_lines() if as_json else report.lines()))
    if not report.ok:
        raise SystemExit(ExitCode.CHECKS_FAILED)
