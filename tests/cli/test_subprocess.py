"""A few real `cachebust` processes against the fake served on loopback."""

from __future__ import annotations

import contextlib
import os
import pty
import subprocess
import sys
from pathlib import Path

from cachebust._errors import ExitCode
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
    healthy, cache = result.stdout.splitlines()[-2:]
    assert healthy.startswith(f"{server.fake.settings.target} is HEALTHY")
    assert "Dockerfile steps without the cache" in cache
    redeploys = [e for e in server.fake.journal if e.path.endswith("/redeploy")]
    assert len(redeploys) == 1 and redeploys[0].headers["authorization"] == "Bearer ***"


def test_a_command_leaves_httpx_own_command_line_unimported(
    server: FakeServer, tmp_path: Path
) -> None:
    # Python lists every module it imports on stderr: httpx's client and transport are
    # there, the rich and pygments that only httpx's command line needs are not.
    result = _run(server, tmp_path, "status", PYTHONPROFILEIMPORTTIME="1")
    assert result.returncode == ExitCode.OK, result.stderr
    imported = {line.rsplit("|", 1)[-1].strip() for line in result.stderr.splitlines()}
    assert {"httpx._client", "httpcore"} <= imported
    assert not {name for name in imported if name.split(".")[0] in ("rich", "pygments")}


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


def test_live_output_on_a_terminal_with_odd_term_and_no_color(
    server: FakeServer, tmp_path: Path
) -> None:
    """TERM and NO_COLOR only matter on a terminal: the live display reads them there."""
    main, terminal = pty.openpty()
    environ = {
        **os.environ,
        "KOYEB_URL": server.url,
        "KOYEB_TOKEN": server.fake.token,
        "HOME": str(tmp_path),
        "TERM": os.fsdecode(b"\xff\xfe-256color"),  # not UTF-8, as the environment allows
        "NO_COLOR": "\x01",
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "cachebust", "rebuild"],
        stdin=subprocess.DEVNULL,
        stdout=terminal,
        stderr=subprocess.PIPE,
        env=environ,
    )
    os.close(terminal)
    shown = b""
    with contextlib.suppress(OSError):  # EIO once the process closed the terminal
        while chunk := os.read(main, 4096):
            shown += chunk
    os.close(main)
    stderr = process.stderr.read() if process.stderr else b""
    assert process.wait(timeout=120) == ExitCode.OK, stderr
    text = shown.decode("utf-8", "replace")
    assert "Traceback" not in text + stderr.decode("utf-8", "replace")
    assert f"{server.fake.settings.target} is HEALTHY on deployment" in text
    assert " · " in text  # the live spinner line ("STATUS · 0s") was drawn
    assert "\x1b[3" not in text  # NO_COLOR set: no colour codes
