"""`cachebust fake-api`: serve the fake Koyeb API on loopback for scripts and demos."""

from __future__ import annotations

import signal
import threading
from types import FrameType

import click

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
def command(
    host: str, port: int, speed: float, token: str, seed: int, allow_non_loopback: bool
) -> None:
    """Serve a fake Koyeb API, seeded from [tool.cachebust], until SIGINT or SIGTERM.

    The first line on stdout is the base URL (use it as KOYEB_URL); requests need
    the header `Authorization: Bearer <token>`. The first answer can take a few
    seconds: the koyeb-sdk models every request and reply is checked against load
    meanwhile. Test helpers live under `/_fake/`.
    Set CACHEBUST_SPEED to the same speed, so that cachebust's own waits keep pace.
    Request bodies over 1 MiB are refused (413); a connection that takes over 10 s
    to send a request, or sits idle for 15 s, is closed.
    """
    from cachebust.fake._core import FakeKoyeb
    from cachebust.fake._server import FakeServer

    stop = threading.Event()

    def _stop(signum: int, frame: FrameType | None) -> None:
        stop.set()

    # Handlers first: a signal during the seconds koyeb-sdk takes to load still stops cleanly.
    previous = {sig: signal.signal(sig, _stop) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        fake = FakeKoyeb(token=token, seed=seed)
        server = FakeServer(
            fake, host=host, port=port, speed=speed, allow_non_loopback=allow_non_loopback
        )
        with server:
            click.echo(server.url)
            click.echo(
                f"Fake Koyeb API for {fake.settings.target} (app {fake.app_id}, service"
                f" {fake.service_id}) at {speed:g}x speed. Stop it with Ctrl-C.",
                err=True,
            )
            while not stop.wait(0.5):
                pass
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
