"""The pure parts: durations, APP/SERVICE names, credentials, Retry-After, models."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from cachebust.credentials import find_api_url, find_token
from cachebust.durations import format_duration, parse_duration
from cachebust.errors import ConfigError, ExitCode, InvalidTarget, MissingToken
from cachebust.models import Deployment, parse_time
from cachebust.retry import parse_retry_after
from cachebust.targets import ServiceRef, parse_target
from cachebust.watch import AdaptiveInterval

SERVICE_ID = "0b6f4c1e-2d3a-4b5c-8d7e-9f0a1b2c3d4e"


@pytest.mark.parametrize(
    ("text", "seconds"),
    [("90s", 90), ("10m", 600), ("1h30m", 5400), ("2.5m", 150), ("45", 45), (" 15M ", 900)],
)
def test_durations_parse(text: str, seconds: float) -> None:
    assert parse_duration(text) == seconds


@pytest.mark.parametrize("text", ["", "0", "-5s", "10x", "m", "1h 30m", "nan", "inf"])
def test_bad_durations_are_usage_errors(text: str) -> None:
    with pytest.raises(ConfigError) as caught:
        parse_duration(text)
    assert caught.value.exit_code == ExitCode.USAGE


def test_durations_format_round_trips() -> None:
    assert [format_duration(s) for s in (5, 185, 3720)] == ["5s", "3m05s", "1h02m00s"]
    assert parse_duration(format_duration(185)) == 185


def test_targets() -> None:
    assert parse_target("app/web") == ServiceRef(app="app", service="web")
    assert parse_target(SERVICE_ID) == ServiceRef(service_id=SERVICE_ID)


@pytest.mark.parametrize("text", ["web", "a/b/c", "/web", "app/", "my app/web", SERVICE_ID.upper()])
def test_malformed_targets_list_the_accepted_formats(text: str) -> None:
    with pytest.raises(InvalidTarget) as caught:
        parse_target(text)
    assert caught.value.exit_code == ExitCode.USAGE
    assert "APP/SERVICE" in caught.value.why and "UUID" in caught.value.why


def test_token_from_env_beats_the_config_file(tmp_path: Path) -> None:
    (tmp_path / ".koyeb.yaml").write_text("token: from-file\n")
    assert find_token({"KOYEB_TOKEN": "from-env"}, home=tmp_path) == "from-env"
    assert find_token({"KOYEB_TOKEN": ""}, home=tmp_path) == "from-file"
    assert find_token({"HOME": str(tmp_path)}) == "from-file"


@pytest.mark.parametrize("content", [None, "url: x\n", "token: [1, 2\n", "- a\n"])
def test_missing_token(tmp_path: Path, content: str | None) -> None:
    if content is not None:
        (tmp_path / ".koyeb.yaml").write_text(content)
    with pytest.raises(MissingToken) as caught:
        find_token({}, home=tmp_path)
    assert caught.value.exit_code == ExitCode.AUTH
    assert "KOYEB_TOKEN" in caught.value.fix and "koyeb login" in caught.value.fix


def test_api_url_from_env_else_config(repo_root: Path) -> None:
    from cachebust.config import load

    assert find_api_url({"KOYEB_URL": "http://127.0.0.1:1/"}) == "http://127.0.0.1:1"
    assert find_api_url({}) == load(repo_root).api_url.rstrip("/")


def test_retry_after_seconds_and_dates() -> None:
    now = datetime(2026, 5, 1, 12, 0, tzinfo=UTC)
    assert parse_retry_after("3", now) == 3
    assert parse_retry_after("Fri, 01 May 2026 12:00:07 GMT", now) == 7
    assert parse_retry_after("soon", now) is None
    assert parse_retry_after(None, now) is None


def test_models_tolerate_unknown_and_missing_fields() -> None:
    deployment = Deployment.from_json(
        {
            "id": "d",
            "brand_new_field": {"x": 1},
            "created_at": "2026-05-01T12:00:00.123456789Z",
            "provisioning_info": {"sha": "", "stages": [{"name": "build", "status": "RUNNING"}]},
        }
    )
    assert deployment.status == ""
    assert deployment.created_at == datetime(2026, 5, 1, 12, 0, 0, 123456, tzinfo=UTC)
    assert deployment.stage is not None and deployment.stage.name == "build"
    assert Deployment.from_json({}).stage is None
    assert parse_time("yesterday") is None


def test_adaptive_interval_backs_off_during_the_build_only() -> None:
    poller = AdaptiveInterval()
    build = [poller.next("PROVISIONING", changed=i == 0) for i in range(12)]
    assert build[0] == 1.0 and max(build) == 10.0 and build == sorted(build)
    after = [poller.next("STARTING", changed=i == 0) for i in range(6)]
    assert after[0] == 1.0 and max(after) == 3.0
