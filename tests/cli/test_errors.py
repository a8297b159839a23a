"""Every failure the CLI can meet: one clear What/Why/Fix, its exit code, no token."""

from __future__ import annotations

import json
import socket
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from cachebust._errors import ExitCode

if TYPE_CHECKING:
    from tests.cli.conftest import Cli


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port


def _three_parts(stderr: str) -> list[str]:
    lines = stderr.splitlines()
    assert [line.split(":")[0].strip() for line in lines] == ["Error", "Why", "Fix"], stderr
    return lines


def test_missing_token(cli: Cli) -> None:
    result = cli("status", KOYEB_TOKEN=None)
    assert result.exit_code == ExitCode.AUTH
    what, _, fix = _three_parts(result.stderr)
    assert what == "Error: No Koyeb API token found."
    assert "KOYEB_TOKEN" in fix and "koyeb login" in fix
    assert len(cli.fake.journal) == 0


def test_token_from_the_koyeb_cli_config(cli: Cli, tmp_path: Path) -> None:
    (tmp_path / ".koyeb.yaml").write_text(f"token: {cli.fake.token}\n")
    assert cli("status", KOYEB_TOKEN=None).exit_code == 0


def test_rejected_token(cli: Cli) -> None:
    result = cli("rebuild", KOYEB_TOKEN="wrong-token-value")
    assert result.exit_code == ExitCode.AUTH
    what, why, _ = _three_parts(result.stderr)
    assert what == "Error: The Koyeb API rejected the token."
    assert "HTTP 401" in why and "wrong-token-value" not in result.output


@pytest.mark.parametrize(
    ("name", "what"),
    [
        ("no-such-app/api", "Error: No app named 'no-such-app'."),
        ("{app}/nope", "Error: No service named 'nope' in app '{app}'."),
    ],
)
def test_unknown_app_or_service(cli: Cli, name: str, what: str) -> None:
    app = cli.fake.settings.app
    result = cli("rebuild", name.format(app=app))
    assert result.exit_code == ExitCode.NOT_FOUND
    assert _three_parts(result.stderr)[0] == what.format(app=app)
    assert not [e for e in cli.fake.journal if e.method == "POST"]


def test_malformed_name(cli: Cli) -> None:
    result = cli("rebuild", "api")
    assert result.exit_code == ExitCode.USAGE
    what, why, _ = _three_parts(result.stderr)
    assert what == "Error: Invalid service name 'api'."
    assert "APP/SERVICE" in why and "UUID" in why
    assert len(cli.fake.journal) == 0


def test_unreachable_api(cli: Cli) -> None:
    url = f"http://127.0.0.1:{_closed_port()}"
    result = cli("status", KOYEB_URL=url)
    assert result.exit_code == ExitCode.API
    what, _, fix = _three_parts(result.stderr)
    assert what == f"Error: Cannot reach the Koyeb API at {url}."
    assert "KOYEB_URL" in fix


def test_429_then_success(cli: Cli) -> None:
    cli.fake.inject("GET", "/v1/apps", status=429, retry_after=1)
    result = cli("status")
    assert result.exit_code == 0, result.output
    assert [e.status for e in cli.fake.journal][:2] == [429, 200]


def test_503_then_success(cli: Cli) -> None:
    cli.fake.inject("POST", "/v1/services/*/redeploy", status=503)
    result = cli("rebuild", "--no-wait")
    assert result.exit_code == 0, result.output
    posts = [e.status for e in cli.fake.journal if e.method == "POST"]
    assert posts == [503, 200]


def test_rate_limit_that_lasts(cli: Cli) -> None:
    cli.fake.inject("GET", "/v1/apps", status=429, retry_after=3600)
    result = cli("status")
    assert result.exit_code == ExitCode.API
    assert _three_parts(result.stderr)[0] == "Error: The Koyeb API rate limit was exceeded."


def test_bad_duration_is_a_usage_error(cli: Cli) -> None:
    result = cli("rebuild", "--timeout", "soon")
    assert result.exit_code == ExitCode.USAGE
    assert "Invalid value for '--timeout'" in result.stderr


# A token as pasted with a stray character; 4-character slices of it are checked for.
PASTED = "s3cr3t-V4lu3-AbCdEf9876"


def _slices(token: str) -> set[str]:
    return {token[i : i + 4] for i in range(len(token) - 3)}


@pytest.mark.parametrize(
    ("token", "kind", "position"),
    [
        (PASTED[:12] + "\n" + PASTED[12:], "a line break", 13),
        (PASTED[:12] + "\r" + PASTED[12:], "a line break", 13),
        (PASTED[:12] + "\r\n" + PASTED[12:], "a line break", 13),
        (PASTED.replace("V4lu3", "Välu3"), "a non-ASCII character", 9),
        (PASTED.replace("-", "\x1b", 1), "a control character", 7),
    ],
)
def test_a_token_no_header_can_carry_is_refused_unquoted(
    cli: Cli, token: str, kind: str, position: int
) -> None:
    result = cli("status", KOYEB_TOKEN=token)
    assert result.exit_code == ExitCode.AUTH
    what, why, fix = _three_parts(result.stderr)
    assert what == "Error: KOYEB_TOKEN is not a usable API token."
    assert f"It contains {kind} at position {position};" in why
    assert "read -rs KOYEB_TOKEN" in fix
    assert not [part for part in _slices(token) if part in result.output], result.output
    assert len(cli.fake.journal) == 0  # refused before any request


def test_a_stored_token_no_header_can_carry_is_refused_unquoted(cli: Cli, tmp_path: Path) -> None:
    token = PASTED[:12] + "\n" + PASTED[12:]
    (tmp_path / ".koyeb.yaml").write_text(f"token: {json.dumps(token)}\n")  # YAML
    result = cli("rebuild", KOYEB_TOKEN=None)
    assert result.exit_code == ExitCode.AUTH
    what, why, _ = _three_parts(result.stderr)
    assert what.startswith("Error: The `token:` entry of ") and ".koyeb.yaml" in what
    assert "a line break at position 13" in why
    assert not [part for part in _slices(token) if part in result.output], result.output
    assert len(cli.fake.journal) == 0


@pytest.mark.parametrize("command", ["rebuild", "watch", "status", "logs"])
@pytest.mark.parametrize("target", ["", "  "])
def test_an_empty_target_is_a_usage_error(cli: Cli, command: str, target: str) -> None:
    result = cli(command, target)
    assert result.exit_code == ExitCode.USAGE
    what, why, fix = _three_parts(result.stderr)
    assert what == f"Error: Empty service name {target!r}."
    assert "shell variable is unset" in why and "[tool.cachebust]" in fix
    assert len(cli.fake.journal) == 0  # not the configured service: nothing at all


@pytest.mark.parametrize(
    ("args", "env", "code", "what"),
    [
        (["logs", "--since", "1e308"], {}, ExitCode.USAGE, "Invalid value for '--since'"),
        (["logs", "--since", "99999999h"], {}, ExitCode.USAGE, "Invalid value for '--since'"),
        (["status"], {"KOYEB_TOKEN": "tökén"}, ExitCode.AUTH, "KOYEB_TOKEN is not a usable"),
        (["status"], {"KOYEB_URL": "http://[::1"}, ExitCode.USAGE, "KOYEB_URL is not a usable"),
        (["status"], {"KOYEB_URL": "ftp://x"}, ExitCode.USAGE, "KOYEB_URL is not a usable"),
        (["status", "app/\udcff"], {}, ExitCode.USAGE, "Invalid service name 'app/\\udcff'"),
        (["logs", "--deployment", "../../v1/apps"], {}, ExitCode.USAGE, "is not a deployment id"),
        (["fake-api", "--token", ""], {}, ExitCode.USAGE, "--token is empty"),
        (["fake-api", "--speed", "inf"], {}, ExitCode.USAGE, "Invalid value for '--speed'"),
        (["doctor", "--arg", "\udcff"], {}, ExitCode.USAGE, "is not a build argument name"),
    ],
)
def test_inputs_that_ended_in_a_traceback(
    cli: Cli, args: list[str], env: dict[str, str], code: ExitCode, what: str
) -> None:
    result = cli(*args, **env)  # the fixture asserts: no traceback, no exception
    assert result.exit_code == code, result.output
    assert what in result.stderr
    assert len(cli.fake.journal) == 0


def test_an_error_is_three_lines_whatever_its_text(capsys: pytest.CaptureFixture[str]) -> None:
    from cachebust._errors import CachebustError
    from cachebust.cli import render_error

    render_error(CachebustError("line\nbreak", "bell\a and \ud800", "tab\there"))
    lines = capsys.readouterr().err.splitlines()
    assert lines == [
        "Error: line\\nbreak",
        "  Why: bell\\x07 and \\ud800",
        "  Fix: tab\\there",
    ]


def test_text_from_the_api_can_always_be_printed() -> None:
    from cachebust._models import LogEntry

    entry = LogEntry.from_json({"msg": "half \ud800 a pair"})
    assert entry.msg.encode("utf-8") == b"half \\ud800 a pair"


def test_an_error_with_a_troubleshooting_entry_points_to_it(cli: Cli) -> None:
    from cachebust._errors import TROUBLESHOOTING_PAGE, InvalidTarget

    result = cli("status", "api")
    assert result.exit_code == ExitCode.USAGE
    fix = _three_parts(result.stderr)[2]
    assert fix.endswith(f" See the guide: {TROUBLESHOOTING_PAGE}#{InvalidTarget.troubleshooting}")
    assert InvalidTarget.troubleshooting


def test_an_error_without_one_prints_its_fix_alone(capsys: pytest.CaptureFixture[str]) -> None:
    from cachebust._errors import RateLimited
    from cachebust.cli import render_error

    assert not RateLimited.troubleshooting
    render_error(RateLimited("Too many requests.", "HTTP 429.", "Wait a minute."))
    assert capsys.readouterr().err.splitlines()[2] == "  Fix: Wait a minute."
