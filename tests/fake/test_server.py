"""The HTTP server, the `cachebust fake-api` command, and the fake's clock."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest

from cachebust._clock import Clock
from cachebust._errors import ConfigError
from cachebust.fake import FakeClock, FakeKoyeb, FakeServer


@pytest.mark.parametrize("host", ["0.0.0.0", "192.0.2.10", "example.com", "::"])
def test_server_refuses_a_non_loopback_address(koyeb_fake: FakeKoyeb, host: str) -> None:
    with pytest.raises(ConfigError, match="Refusing to serve"):
        FakeServer(koyeb_fake, host=host)


def test_server_serves_json_with_its_clock_following_speed(koyeb_fake: FakeKoyeb) -> None:
    with FakeServer(koyeb_fake, speed=0) as server:
        assert re.fullmatch(r"http://127\.0\.0\.1:\d+", server.url)
        assert koyeb_fake.clock.speed == 0
        response = httpx.get(f"{server.url}/v1/account/profile")
        assert response.status_code == 401
        assert response.headers["content-type"] == "application/json"
        odd = httpx.request("OPTIONS", f"{server.url}/v1/apps")  # refused by http.server itself
        assert odd.status_code == 501 and odd.json()["code"] == 12
    assert server.url.endswith(f":{server.port}")


def test_a_port_in_use_is_a_config_error(koyeb_fake_server: FakeServer) -> None:
    with pytest.raises(ConfigError, match="Cannot listen"):
        FakeServer(koyeb_fake_server.fake, port=koyeb_fake_server.port).start()


@pytest.mark.koyeb_fake(token="marker-token", seed=7)
def test_the_marker_sets_fixture_options(koyeb_fake: FakeKoyeb) -> None:
    assert koyeb_fake.token == "marker-token"
    assert koyeb_fake.app_id != FakeKoyeb(settings=koyeb_fake.settings).app_id


def _start_cli(repo_root: Path, *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "cachebust", "fake-api", *args],
        cwd=repo_root,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )


@pytest.mark.parametrize(
    ("stop", "answer_first"),
    [(signal.SIGTERM, True), (signal.SIGINT, False)],
    ids=["SIGTERM-after-an-answer", "SIGINT-before-any-request"],
)
def test_cli_prints_the_url_first_and_stops_on_a_signal(
    repo_root: Path, stop: int, answer_first: bool
) -> None:
    process = _start_cli(repo_root, "--speed", "0", "--token", "cli-token")
    try:
        assert process.stdout is not None
        url = process.stdout.readline().strip()
        assert re.fullmatch(r"http://127\.0\.0\.1:\d+", url), url
        if answer_first:
            reply = httpx.get(
                f"{url}/v1/apps", headers={"Authorization": "Bearer cli-token"}, timeout=60
            )
            assert reply.status_code == 200 and reply.json()["count"] == 2
        process.send_signal(stop)
        out, err = process.communicate(timeout=30)
    finally:
        process.kill()
    assert process.returncode == 0, err
    assert out == "" and "cli-token" not in err and "Traceback" not in err


def test_cli_refuses_a_non_loopback_host(repo_root: Path) -> None:
    process = _start_cli(repo_root, "--host", "0.0.0.0")
    out, err = process.communicate(timeout=30)
    assert process.returncode == 2
    assert out == "" and "Refusing to serve the fake Koyeb API on 0.0.0.0" in err
    assert "--allow-non-loopback" in err


def test_fake_clock_is_a_clock() -> None:
    start = datetime(2026, 1, 1, tzinfo=UTC)
    clock: Clock = FakeClock(start)
    clock.sleep(90)
    assert clock.now() == start + timedelta(seconds=90)
    assert clock.monotonic() == 90
    with pytest.raises(ValueError):
        FakeClock(datetime(2026, 1, 1))
    fast = FakeClock(start)
    fast.set_speed(1000.0)
    fast.sleep(50)  # 0.05 real seconds
    assert fast.monotonic() >= 50
    fast.set_speed(0)
    frozen = fast.monotonic()
    assert fast.monotonic() == frozen
    with pytest.raises(ValueError):
        fast.advance(-1)


def test_without_koyeb_sdk_the_fake_says_which_extra_to_install(repo_root: Path) -> None:
    # A `koyeb` entry of None makes `import koyeb` fail, as when the extra is missing.
    script = (
        "import sys\n"
        "sys.modules['koyeb'] = None\n"
        "from cachebust.cli import main\n"
        "sys.argv = ['cachebust', 'fake-api', '--port', '0']\n"
        "main()\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script],
        cwd=repo_root,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 2, done.stderr
    assert done.stdout == ""
    assert done.stderr.startswith("Error: The fake Koyeb API cannot start: koyeb-sdk")
    assert "pip install 'cachebust[fake]'" in done.stderr and "Traceback" not in done.stderr
