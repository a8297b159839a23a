"""The pure parts: durations, APP/SERVICE names, credentials, Retry-After, models."""

from __future__ import annotations

import os
from datetime import UTC, datetime
from pathlib import Path

import pytest

from cachebust._api_url import check_api_url
from cachebust._config import load
from cachebust._credentials import find_api_url, find_token
from cachebust._durations import format_duration, parse_duration
from cachebust._errors import ConfigError, ExitCode, InvalidTarget, InvalidToken, MissingToken
from cachebust._models import Deployment, parse_time
from cachebust._retry import parse_retry_after
from cachebust._targets import ServiceRef, parse_target
from cachebust._watch import AdaptiveInterval

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


@pytest.mark.parametrize("text", ["1e308", "99999999h", "8761h", "31536001"])
def test_durations_longer_than_a_year_are_usage_errors(text: str) -> None:
    with pytest.raises(ConfigError) as caught:
        parse_duration(text)
    assert "at most 8760h" in caught.value.why


def test_a_year_is_the_longest_duration() -> None:
    assert parse_duration("8760h") == 8760 * 3600


@pytest.mark.parametrize("text", ["app/\udcff", "app/we\x1bb", "\x00/web", "app/web\u2028"])
def test_names_with_unprintable_characters_are_malformed(text: str) -> None:
    with pytest.raises(InvalidTarget):
        parse_target(text)


@pytest.mark.parametrize(
    "url",
    [
        "https://app.koyeb.com",
        "http://127.0.0.1:8000/",
        "HTTP://LOCALHOST:1/prefix",
        "http://[::1]:80",
        "https://xn--bcher-kva.example",
    ],
)
def test_usable_api_urls(url: str) -> None:
    assert check_api_url(url, "KOYEB_URL") == url


@pytest.mark.parametrize(
    ("url", "flaw"),
    [
        ("ftp://x", "does not start with http:// or https://"),
        ("app.koyeb.com", "does not start with http:// or https://"),
        ("http://", "has no host"),
        ("http://[::1", "has an invalid host or port"),
        ("http://h:99999", "has an invalid host or port"),
        ("http://h:0x50", "has an invalid host or port"),
        ("http://999.0.0.1", "has an invalid host"),
        ("http://[zz]", "has an invalid host or port"),
        ("http://a b", "contains a space or a control character at position 9"),
        ("http://bücher.example", "contains a non-ASCII character at position 9"),
        ("https://user:secret@host", "holds a user name or password"),
        ("https://host/?q=1", "has a query or a fragment"),
    ],
)
def test_unusable_api_urls_are_usage_errors(url: str, flaw: str) -> None:
    with pytest.raises(ConfigError) as caught:
        check_api_url(url, "KOYEB_URL")
    assert caught.value.what == "KOYEB_URL is not a usable API URL."
    assert caught.value.why.startswith(f"It {flaw}.")
    assert "secret" not in str(caught.value)  # the URL itself is never repeated


@pytest.mark.parametrize(
    ("token", "why"),
    [
        ("abc\ndef", "a line break at position 4"),
        ("abc\tdef", "a space or tab at position 4"),
        ("abc\x7fdef", "a control character at position 4"),
        ("abc\udcffdef", "a non-ASCII character at position 4"),  # a byte that is not UTF-8
    ],
)
def test_tokens_no_header_can_carry(tmp_path: Path, token: str, why: str) -> None:
    with pytest.raises(InvalidToken) as caught:
        find_token({"KOYEB_TOKEN": f"  {token}\n"}, home=tmp_path)  # the ends are trimmed
    assert caught.value.exit_code == ExitCode.AUTH
    assert why in caught.value.why and "abc" not in str(caught.value)


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"token: \xff\xfe\n", "is not UTF-8 text"),
        (b"token: 2001-13-45\n", "is not valid YAML"),  # PyYAML raises ValueError
        (b"token: !!timestamp 'x'\n", "is not valid YAML"),  # ... and AttributeError
        (b"[" * 600, "is not valid YAML"),  # ... and RecursionError
        (b"token: 12345\n", "has a `token:` entry that is not text"),
    ],
)
def test_unusable_koyeb_yaml(tmp_path: Path, content: bytes, reason: str) -> None:
    (tmp_path / ".koyeb.yaml").write_bytes(content)
    with pytest.raises(MissingToken) as caught:
        find_token({}, home=tmp_path)
    assert reason in caught.value.why


def test_a_koyeb_yaml_that_is_not_a_file_is_not_read(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / ".koyeb.yaml")  # reading it would block forever
    with pytest.raises(MissingToken) as caught:
        find_token({}, home=tmp_path)
    assert "is not a regular file" in caught.value.why


@pytest.mark.parametrize(
    ("content", "what"),
    [
        (b"tool = 1\n", "No cachebust configuration found."),
        (b"[tool]\ncachebust = 'x'\n", "Invalid [tool.cachebust] in"),
        (b"# \xff\n[tool.cachebust]\n", "Cannot read"),
        (b"[tool.cachebust\n", "Cannot read"),
    ],
)
def test_unusable_pyproject(tmp_path: Path, content: bytes, what: str) -> None:
    (tmp_path / "pyproject.toml").write_bytes(content)
    with pytest.raises(ConfigError) as caught:
        load(tmp_path)
    assert caught.value.what.startswith(what)


def test_api_url_outside_a_project_is_the_default_and_a_broken_table_is_reported(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, repo_root: Path
) -> None:
    monkeypatch.chdir(tmp_path)
    assert find_api_url({}) == "https://app.koyeb.com"
    table = (repo_root / "pyproject.toml").read_text().split("[tool.cachebust]")[1]
    broken = table.replace('api-url = "https://app.koyeb.com"', 'api-url = "ftp://x"')
    (tmp_path / "pyproject.toml").write_text("[tool.cachebust]" + broken)
    with pytest.raises(ConfigError) as caught:
        find_api_url({})
    assert caught.value.what.startswith("api-url in [tool.cachebust] of ")
    assert find_api_url({"KOYEB_URL": "http://127.0.0.1:1"}) == "http://127.0.0.1:1"


def test_backoff_doubles_up_to_its_cap_with_jitter_and_honours_retry_after() -> None:
    from cachebust._errors import NetworkError, RateLimited
    from cachebust._retry import JITTER, backoff

    failure = NetworkError("w", "w", "f")
    for retry, base in ((1, 0.5), (2, 1.0), (3, 2.0), (6, 8.0), (9, 8.0)):
        assert base <= backoff(retry, failure) <= base + JITTER
    limited = RateLimited("w", "w", "f", retry_after=7.0)
    assert backoff(1, limited) == 7.0


def test_retrying_reraises_the_last_failure_after_its_attempts() -> None:
    from cachebust._errors import NetworkError
    from cachebust._retry import retrying
    from cachebust.fake import FakeClock

    calls: list[int] = []

    def failing() -> None:
        calls.append(1)
        raise NetworkError(f"try {len(calls)}", "w", "f")

    clock = FakeClock()
    with pytest.raises(NetworkError, match="try 3"):
        retrying(clock, attempts=3)(failing)
    assert len(calls) == 3 and 1.5 <= clock.monotonic() <= 1.5 + 2 * 0.5
