"""A few real `cachebust` processes against the fake served on loopback."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from cachebust.errors import ExitCode
from cachebust.fake import FakeServer


def _run(
    server: FakeServer, home: Path, *args: str, **env: str
) -> subprocess.CompletedProcess[str]:
    environ = {
        **os.environ,
        "KOYEB_URL": server.url,
        "KOYEB_TOKEN": server.fake.token,
        "HOME": str(home),
        "NO_COLOR": "1",
        **env,
    }
    result = subprocess.run(
        [sys.executable, "-m", "cachebust", *args],
        env=environ,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    output = result.stdout + result.stderr
    assert server.fake.token not in output and "Traceback" not in output, output
    return result


def test_rebuild_process(server: FakeServer, tmp_path: Path) -> None:
    result = _run(server, tmp_path, "rebuild")
    assert result.returncode == ExitCode.OK, result.stderr
    assert result.stdout.splitlines()[-1].startswith(f"{server.fake.settings.target} is HEALTHY")
    redeploys = [e for e in server.fake.journal if e.path.endswith("/redeploy")]
    assert len(redeploys) == 1 and redeploys[0].headers["authorization"] == "Bearer ***"


def test_failed_rebuild_process(server: FakeServer, tmp_path: Path) -> None:
    server.fake.next_deployment_outcome("error")
    result = _run(server, tmp_path, "rebuild")
    assert result.returncode == ExitCode.DEPLOYMENT_FAILED
    assert "--type build --deployment" in result.stderr


def test_missing_token_process(server: FakeServer, tmp_path: Path) -> None:
    result = _run(server, tmp_path, "status", KOYEB_TOKEN="")
    assert result.returncode == ExitCode.AUTH
    assert result.stderr.startswith("Error: No Koyeb API token found.")
    assert result.stdout == ""
