"""`cachebust fake-api`: serve the fake Koyeb API on loopback for scripts and demos."""

from __future__ import annotations

import json
import signal
import time
from pathlib import Path
from types import FrameType

import click

from cachebust import _config as config
from cachebust._credentials import check_token
from cachebust.fake import DEFAULT_TOKEN

#: The fastest clock allowed: at this speed the fake's date stays below year 9999 for
#: months of serving (at 1e308 or inf it overflowed on the first request).
MAX_SPEED = 10_000.0


def _host(ctx: click.Context, param: click.Parameter, value: str) -> str:
    if not value or not value.isprintable() or any(char.isspace() for char in value):
        raise click.BadParameter(f"{value!r} is not a host name or address.", ctx, param)
    return value


def _speed(ctx: click.Context, param: click.Parameter, value: float) -> float:
    if value != value:  # FloatRange lets nan through
        raise click.BadParameter("nan is not a speed.", ctx, param)
    return value


def _token(ctx: click.Context, param: click.Parameter, value: str) -> str:
    from cachebust._errors import InvalidToken

    try:
        return check_token(value, "--token")
    except InvalidToken as exc:
        raise click.BadParameter(f"{exc.what} {exc.why}", ctx, param) from None


def _assumptions(
    ctx: click.Context, param: click.Parameter, value: tuple[str, ...]
) -> dict[str, str]:
    from cachebust.fake._assumptions import parse_setting

    chosen: dict[str, str] = {}
    for text in value:
        name, setting = parse_setting(text)  # UnknownAssumption: a usage error, exit 2
        chosen[name] = setting
    return chosen


def _services(
    ctx: click.Context, param: click.Parameter, value: tuple[str, ...]
) -> tuple[str, ...]:
    for name in value:
        app, slash, service = name.partition("/")
        parts = (app, service)
        if not slash or not all(parts) or "/" in service or not name.isprintable():
            raise click.BadParameter(f"{name!r} is not APP/SERVICE.", ctx, param)
    return value


def _commit(revision: str, root: Path) -> str:
    """A commit id, as given or as the checkout at `root` resolves `revision`."""
    from cachebust._errors import ConfigError, shown
    from cachebust._git import Checkout, is_commit_id

    if is_commit_id(revision):
        return revision
    checkout = Checkout.at(root)
    found = checkout.resolve(revision) if checkout is not None else None
    if found is None:
        where = (
            f"the git checkout at {shown(root)}" if checkout else f"{shown(root)}, not a checkout"
        )
        raise ConfigError(
            what=f"--head-sha {shown(revision)} names no commit.",
            why=f"It is neither a commit id (40 hexadecimal digits) nor a revision of {where}.",
            fix="Give a full commit id, or a revision such as HEAD~1 inside the checkout.",
        )
    return found


def _list_assumptions(as_json: bool) -> None:
    from cachebust.fake._assumptions import ASSUMPTIONS

    width = max(len(a.name) for a in ASSUMPTIONS) + 2
    shown = [" ".join(v + ("*" if v == a.default else "") for v in a.values) for a in ASSUMPTIONS]
    values_width = max(len(text) for text in shown) + 2
    for assumption, values in zip(ASSUMPTIONS, shown, strict=True):
        if as_json:
            record = {
                "name": assumption.name,
                "values": list(assumption.values),
                "default": assumption.default,
                "switch": assumption.switch,
                "observable": assumption.observable,
                "anchor": assumption.anchor,
            }
            click.echo(json.dumps(record))
        else:
            click.echo(f"{assumption.name:<{width}}{values:<{values_width}}{assumption.anchor}")


@click.command(
    "fake-api",
    epilog="Example:\n\n\b\n"
    "  cachebust fake-api --speed 30 > fake-api.url &\n"
    "  until [ -s fake-api.url ]; do sleep 0.1; done\n"
    "  export KOYEB_URL=$(head -n 1 fake-api.url) KOYEB_TOKEN=fake-koyeb-token"
    " CACHEBUST_SPEED=30",
)
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    callback=_host,
    help="Address to listen on.",
)
@click.option(
    "--port",
    default=0,
    show_default=True,
    type=click.IntRange(0, 65535),
    help="Port to listen on; 0 picks a free one.",
)
@click.option(
    "--speed",
    default=1.0,
    show_default=True,
    type=click.FloatRange(min=0, max=MAX_SPEED),
    callback=_speed,
    help="Simulated seconds per real second; 0 freezes the clock.",
)
@click.option(
    "--token",
    default=DEFAULT_TOKEN,
    show_default=True,
    callback=_token,
    help="The bearer token the fake accepts (a fake one, never a real token).",
)
@click.option(
    "--seed",
    default=0,
    show_default=True,
    type=int,
    help="Seed of the generated ids: the same seed gives the same ids.",
)
@click.option(
    "--allow-non-loopback", is_flag=True, help="Allow a --host that other machines can reach."
)
@click.option(
    "--assumption",
    "assumptions",
    metavar="NAME=VALUE",
    multiple=True,
    callback=_assumptions,
    help="Flip one of the fake's assumptions about Koyeb (repeatable), e.g. "
    "list-order=oldest-first.",
)
@click.option(
    "--list-assumptions",
    is_flag=True,
    help="Print each assumption (name, values with the default starred, contract anchor) and exit.",
)
@click.option(
    "--head-sha",
    metavar="COMMIT",
    help="The commit the service's branch points at, which its newest deployments run: a "
    "commit id, or a revision of the local checkout such as HEAD~1. Default: the checkout's "
    "HEAD (a generated commit outside a checkout).",
)
@click.option(
    "--service",
    "services",
    metavar="APP/SERVICE",
    multiple=True,
    callback=_services,
    help="Serve one more service (repeatable), in its app (made when new), built like the "
    "configured one, e.g. --service my-app/worker.",
)
@click.option("--json", "as_json", is_flag=True, help="With --list-assumptions: JSON lines.")
def command(
    host: str,
    port: int,
    speed: float,
    token: str,
    seed: int,
    allow_non_loopback: bool,
    assumptions: dict[str, str],
    list_assumptions: bool,
    head_sha: str | None,
    services: tuple[str, ...],
    as_json: bool,
) -> None:
    """Serve a fake Koyeb API, seeded from [tool.cachebust], until SIGINT or SIGTERM.

    The first line on stdout is the base URL (use it as KOYEB_URL); requests need
    the header `Authorization: Bearer <token>`. The first answer of each kind is
    slower: the koyeb-sdk models its request and reply are checked against are
    imported then. Test helpers live under `/_fake/`.
    Set CACHEBUST_SPEED to the same speed, so that cachebust's own waits keep pace.
    Request bodies over 1 MiB are refused (413); a connection that takes over 10 s
    to send a request, or sits idle for 15 s, is closed.

    Where Koyeb's API document and the official CLI leave a behaviour open, the fake
    follows an assumption; --list-assumptions prints them (an assumption with one value
    is not a switch), and --assumption NAME=VALUE flips one, to see how a client
    copes with the other behaviour. `cachebust contract` checks them on a real account.
    """
    if list_assumptions:
        _list_assumptions(as_json)
        return
    if as_json:
        raise click.UsageError("--json goes with --list-assumptions.")
    from cachebust.fake._core import FakeKoyeb
    from cachebust.fake._server import FakeServer

    # Signals received. A list, not a threading.Event: a second signal landing while the
    # handler runs runs it again, nested, and Event.set() would wait there for ever on the
    # lock the first call holds (each further signal nesting once more).
    stopped: list[int] = []

    def _stop(signum: int, frame: FrameType | None) -> None:
        stopped.append(signum)

    # Handlers first: a signal while the fake is being set up still stops it cleanly.
    previous = {sig: signal.signal(sig, _stop) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        settings = config.load()
        head = _commit(head_sha, settings.root) if head_sha is not None else None
        try:
            fake = FakeKoyeb(
                settings=settings,
                token=token,
                seed=seed,
                assumptions=assumptions,
                head_sha=head,
                services=services,
            )
        except ValueError as exc:  # a --service that exists already
            raise click.BadParameter(str(exc), param_hint="--service") from None
        server = FakeServer(
            fake, host=host, port=port, speed=speed, allow_non_loopback=allow_non_loopback
        )
        with server:
            click.echo(server.url)
            flipped = ", ".join(f"{n}={v}" for n, v in fake.assumed.changed().items())
            click.echo(
                f"Fake Koyeb API for {fake.settings.target} (app {fake.app_id}, service"
                f" {fake.service_id}) at {speed:g}x speed"
                + (f", assuming {flipped}" if flipped else "")
                + ". Stop it with Ctrl-C.",
                err=True,
            )
            while not stopped:
                time.sleep(0.1)
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
