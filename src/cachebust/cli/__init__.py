"""The `cachebust` command line: a thin layer over the library.

Commands live in one module each (`cachebust.cli._<name>`, exporting `command`) and
are imported only when used, so `cachebust --version` stays fast. Errors from the
library are rendered here, once, as What / Why / How to fix.
"""

from __future__ import annotations

import gc
import importlib
import signal
import sys
from types import FrameType

import click

from cachebust._errors import TROUBLESHOOTING_PAGE, CachebustError
from cachebust._version import __version__
from cachebust.cli._common import exit_codes_epilog
from cachebust.cli._interrupts import InFlight, SigTerm, interruption

# httpx's package imports its own command line, `httpx._main` (rich and pygments: about
# 40 ms, a fifth of a command's start), and defines a stand-in when that import fails, as
# it does without httpx's `cli` extra. No command of ours runs httpx's, so in a process
# that starts here (before httpx is imported) it fails that way.
if "httpx" not in sys.modules:
    sys.modules["httpx._main"] = None  # type: ignore[assignment]

# Command name -> module under cachebust.cli. Order is the order of `--help`.
_COMMANDS = {
    "rebuild": "_rebuild",
    "watch": "_watch",
    "status": "_status",
    "logs": "_logs",
    "doctor": "_doctor",
    "contract": "_contract",
    "fake-api": "_fake_api",
}


class _LazyGroup(click.Group):
    def list_commands(self, ctx: click.Context) -> list[str]:
        return list(_COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        module = _COMMANDS.get(cmd_name)
        if module is None:
            return None
        command: click.Command = importlib.import_module(f"cachebust.cli.{module}").command
        # Every module's function is named `command`; generated docs read the name from here.
        command.name = cmd_name
        return command

    def invoke(self, ctx: click.Context) -> object:
        # Made here, so that the command's context shares it (see `cli._interrupts`).
        inflight = ctx.ensure_object(InFlight)
        try:
            return super().invoke(ctx)
        except KeyboardInterrupt as stop:
            exc: CachebustError = interruption(stop, inflight)
        except CachebustError as raised:
            exc = raised
        render_error(exc)
        ctx.exit(exc.exit_code)


def render_error(exc: CachebustError) -> None:
    """Print an error once, in three parts (three lines), to stderr; the fix ends with the
    error's entry in the guide's troubleshooting page, when it has one."""
    fix = exc.fix
    if exc.troubleshooting:
        fix += f" See the guide: {TROUBLESHOOTING_PAGE}#{exc.troubleshooting}"
    click.echo(f"Error: {one_line(exc.what)}", err=True)
    click.echo(f"  Why: {one_line(exc.why)}", err=True)
    click.echo(f"  Fix: {one_line(fix)}", err=True)


def one_line(text: str) -> str:
    """Text that may come from anywhere (an API's message, a path) as one printable line."""
    return "".join(c if c.isprintable() else ascii(c)[1:-1] for c in text)


@click.group(
    cls=_LazyGroup,
    epilog=exit_codes_epilog(),
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
)
@click.version_option(__version__, "-V", "--version", prog_name="cachebust")
def root() -> None:
    """Force, watch and check uncached Koyeb rebuilds.

    The token comes from KOYEB_TOKEN, else from the `token:` key of
    $HOME/.koyeb.yaml (as for the official koyeb CLI); the API from KOYEB_URL,
    else [tool.cachebust] api-url. A token is never accepted on the command line.
    """


def _on_sigterm(signum: int, frame: FrameType | None) -> None:
    raise SigTerm


def main() -> None:
    """Console-script entry point."""
    signal.signal(signal.SIGTERM, _on_sigterm)
    try:
        sys.exit(root.main(prog_name="cachebust"))
    finally:
        # The interpreter's teardown would search every object the imports made for
        # cycles (about 40 ms, a command's last); they all go with the process anyway.
        gc.freeze()
