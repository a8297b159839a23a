"""What the rebuild, watch, status and logs commands share: options, defaults, the client.

Kept free of heavy imports (httpx, rich) so that `cachebust --help` stays fast; the
client is imported inside `open_client()`, when a command actually runs.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

import click

from cachebust._durations import parse_duration
from cachebust._errors import ConfigError, ExitCode, InvalidTarget
from cachebust.cli._interrupts import InFlight

if TYPE_CHECKING:
    from cachebust._client import Client
    from cachebust._output import Output

F = TypeVar("F", bound=Callable[..., Any])


def exit_codes_epilog(*codes: ExitCode) -> str:
    """A `--help` epilog listing `codes` (default: every one) with their descriptions."""
    # \b keeps Click from joining the list into one paragraph.
    return "Exit codes:\n\n\b\n" + "\n".join(
        f"  {code.value}  {code.__doc__}" for code in codes or tuple(ExitCode)
    )


#: The `--help` epilog of the commands that talk to Koyeb.
EXIT_CODES = exit_codes_epilog(*(code for code in ExitCode if code is not ExitCode.CHECKS_FAILED))


class Duration(click.ParamType[float, Any]):
    """A duration such as 90s, 10m or 1h30m, converted to seconds."""

    name = "duration"

    def convert(
        self, value: Any, param: click.Parameter | None, ctx: click.Context | None
    ) -> float:
        if isinstance(value, float):
            return value
        try:
            return parse_duration(str(value))
        except ConfigError as exc:
            self.fail(exc.why, param, ctx)


DURATION = Duration()


class DeploymentId(click.ParamType[str, Any]):
    """A deployment id: a lowercase UUID, as Koyeb gives ids (never a path to interpolate)."""

    name = "deployment_id"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> str:
        from cachebust._targets import is_uuid

        text = str(value)
        if not is_uuid(text):
            self.fail(
                f"{text!r} is not a deployment id (a lowercase UUID, as `cachebust status` "
                "prints it).",
                param,
                ctx,
            )
        return text


DEPLOYMENT_ID = DeploymentId()


def json_option(f: F) -> F:
    return click.option(
        "--json", "as_json", is_flag=True, help="Print one JSON object per line instead of text."
    )(f)


def timeout_option(f: F) -> F:
    return click.option(
        "--timeout",
        type=DURATION,
        default="10m",
        show_default=True,
        help="Give up waiting after this long (the deployment itself goes on).",
    )(f)


def target_or_default(value: str | None) -> str:
    """The APP/SERVICE argument, else (when it is absent) `app/service` from [tool.cachebust].

    An empty argument is refused rather than read as absent: `cachebust rebuild "$SVC"`
    with SVC unset must not rebuild the configured service.
    """
    if value is None:
        from cachebust import _config as config

        return config.load().target
    if not value.strip():
        raise InvalidTarget(
            what=f"Empty service name {value!r}.",
            why="APP/SERVICE was given but is empty, as when a shell variable is unset "
            '(cachebust rebuild "$SERVICE" with SERVICE unset or empty).',
            fix="Set the variable, or leave the argument out to use app and service from "
            "[tool.cachebust].",
        )
    return value


def in_flight() -> InFlight:
    """The record of what this command has started at Koyeb (see `cli._interrupts`)."""
    return click.get_current_context().ensure_object(InFlight)


def open_client(*, shared_pause: bool = False) -> Client:
    """A client configured from the environment (KOYEB_TOKEN, KOYEB_URL, [tool.cachebust]);
    `shared_pause` for requests made side by side (see `Client`).

    It is closed when the whole command ends, after an interruption was settled: what
    was in flight is looked up with it (see `cli._interrupts`).
    """
    from cachebust._client import Client

    client = Client(shared_pause=shared_pause)
    click.get_current_context().find_root().call_on_close(client.close)
    return client


def follow(
    client: Client,
    deployment_id: str,
    *,
    timeout: float,
    target: str,
    out: Output,
    waited: float = 0.0,
) -> None:
    """Show each change of the deployment until it ends; raise if it fails or times out
    (`waited`: seconds of `timeout` already spent). The caller closes `out`, after
    anything it has to add."""
    from cachebust._watch import watch_deployment

    status = ""
    changes = watch_deployment(client, deployment_id, timeout=timeout, target=target, waited=waited)
    for change in changes:
        out.change(change)
        status = change.deployment.status
    out.emit(
        f"{target} is {status} on deployment {deployment_id}.",
        {"event": "done", "target": target, "deployment_id": deployment_id, "status": status},
    )
