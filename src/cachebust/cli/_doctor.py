"""`cachebust doctor`: check a project's Dockerfile, workflows and Koyeb service."""

from __future__ import annotations

import os
import re
from pathlib import Path

import click

from cachebust._errors import ExitCode
from cachebust.cli._common import exit_codes_epilog

# What `$NAME` expansion in a Dockerfile reads as a name.
_ARG_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def _arg_name(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    if value is not None and not _ARG_NAME.fullmatch(value):
        raise click.BadParameter(
            f"{value!r} is not a build argument name: letters, digits and underscores, "
            "not starting with a digit (for example CACHEBUST).",
            ctx,
            param,
        )
    return value


@click.command(epilog=exit_codes_epilog(ExitCode.OK, ExitCode.CHECKS_FAILED, ExitCode.USAGE))
@click.argument(
    "path",
    required=False,
    default=".",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
)
@click.option("--offline", is_flag=True, help="Skip the checks that call the Koyeb API.")
@click.option("--json", "as_json", is_flag=True, help="Print the report as one JSON object.")
@click.option(
    "--arg",
    metavar="NAME",
    callback=_arg_name,
    help="The cache-bust build argument. Default: build-arg in [tool.cachebust], else the "
    "Dockerfile's one ARG whose name contains BUST.",
)
def command(path: Path, offline: bool, as_json: bool, arg: str | None) -> None:
    """Check that PATH (default: the current folder) can force uncached Koyeb builds.

    One line per check, pass, warn or fail, with the fix under each warning and failure:
    the Dockerfile declares the cache-bust build argument in the stage that copies the
    source, uses it in a RUN before that copy and after the dependency install, and
    gives it a default; a workflow asks for an uncached build on a push to the default
    branch, with `koyeb` command lines the official CLI accepts; and, unless --offline,
    the token works, the service in [tool.cachebust] exists, and its latest deployment
    is healthy and was built without the cache (inferred from BuildKit-style `#N CACHED`
    lines in its build log, when it has them).

    Examples:

    \b
        cachebust doctor
        cachebust doctor --offline
        cachebust doctor ../other-project --arg CACHE_DATE --json
    """
    from cachebust._doctor import diagnose

    report = diagnose(path, offline=offline, arg=arg)
    text = report.to_json() if as_json else "\n".join(report.lines())
    # As bytes: a path that is not UTF-8 (PATH, the folder's name) goes out as it came in.
    click.echo(os.fsencode(text))
    if not report.ok:
        raise SystemExit(ExitCode.CHECKS_FAILED)
