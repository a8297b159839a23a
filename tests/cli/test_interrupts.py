"""Ctrl-C and SIGTERM stop `cachebust` cleanly: exit 130 or 143, the deployment's id
and how to resume, never a traceback, and no deployment left unnamed."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from cachebust._client import Client
from cachebust._errors import ExitCode
from cachebust.fake import FakeKoyeb, FakeServer

REDEPLOY = "/v1/services/*/redeploy"
CODES = {signal.SIGINT: ExitCode.INTERRUPTED, signal.SIGTERM: ExitCode.TERMINATED}


@pytest.fixture
def server(repo_root: Path) -> Iterator[FakeServer]:
    # Real time: a deployment takes minutes, so the signal always lands during the wait.
    fake = FakeKoyeb()
    with FakeServer(fake, speed=1) as running:
        yield running


def _start(server: FakeServer, home: Path, *args: str) -> subprocess.Popen[str]:
    env = {
        **os.environ,
        "KOYEB_URL": server.url,
        "KOYEB_TOKEN": server.fake.token,
        "HOME": str(home),
        "NO_COLOR": "1",
        "PYTHONUNBUFFERED": "1",
    }
    return subprocess.Popen(
        [sys.executable, "-m", "cachebust", *args],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _until(condition: Callable[[], bool], process: subprocess.Popen[str]) -> None:
    deadline = time.monotonic() + 60
    while not condition():
        assert process.poll() is None, process.communicate()
        assert time.monotonic() < deadline, "the command never got there"
        time.sleep(0.05)


def _stop(process: subprocess.Popen[str], signum: int) -> tuple[str, str]:
    process.send_signal(signum)
    try:
        return process.communicate(timeout=60)
    finally:
        process.kill()


def _created_line(process: subprocess.Popen[str]) -> str:
    assert process.stdout is not None
    for line in process.stdout:
        if line.startswith("Deployment "):
            return line.split()[1]
    raise AssertionError(process.communicate())


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
def test_a_signal_during_the_wait_names_the_deployment(
    server: FakeServer, tmp_path: Path, signum: int
) -> None:
    process = _start(server, tmp_path, "rebuild")
    deployment_id = _created_line(process)
    out, err = _stop(process, signum)
    assert process.returncode == CODES[signum], err
    assert f"Error: Interrupted: deployment {deployment_id} goes on at Koyeb." in err
    assert f"cachebust watch {deployment_id}" in err
    assert "Traceback" not in err and "Aborted!" not in err
    assert server.fake.token not in out + err


def test_watch_is_stopped_the_same_way(server: FakeServer, tmp_path: Path) -> None:
    fake = server.fake
    with Client(fake.token, transport=fake.transport, base_url="http://127.0.0.1:9") as client:
        latest = client.redeploy(fake.service_id).id  # minutes from its end, at real time
    process = _start(server, tmp_path, "watch", latest)
    assert process.stdout is not None
    assert process.stdout.readline().startswith(f"Watching deployment {latest}")
    _, err = _stop(process, signal.SIGINT)
    assert process.returncode == ExitCode.INTERRUPTED, err
    assert f"cachebust watch {latest}" in err


def test_a_signal_during_the_redeploy_request_finds_the_deployment(
    server: FakeServer, tmp_path: Path
) -> None:
    # The fake acts, then holds the answer back: the id never reaches the client.
    server.fake.inject("POST", REDEPLOY, delay=30)
    process = _start(server, tmp_path, "rebuild")

    def posted() -> bool:
        return any(entry.method == "POST" for entry in server.fake.journal)

    _until(posted, process)
    out, err = _stop(process, signal.SIGINT)
    created = server.fake.service()["latest_deployment_id"]
    assert process.returncode == ExitCode.INTERRUPTED, err
    assert f"Interrupted: deployment {created} goes on at Koyeb." in err
    assert f"cachebust watch {created}" in err
    assert "Deployment " not in out


def test_a_signal_before_any_request_says_nothing_started(
    server: FakeServer, tmp_path: Path
) -> None:
    server.fake.inject("GET", "/v1/apps", delay=30)
    process = _start(server, tmp_path, "rebuild")
    _until(lambda: len(server.fake.journal) > 0, process)
    _, err = _stop(process, signal.SIGTERM)
    assert process.returncode == ExitCode.TERMINATED, err
    assert "before it started anything at Koyeb" in err
    assert not [e for e in server.fake.journal if e.method == "POST"]
