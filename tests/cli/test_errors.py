"""Every failure the CLI can meet: one clear What/Why/Fix, its exit code, no token."""

from __future__ import annotations

import socket
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from cachebust.errors import ExitCode

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
