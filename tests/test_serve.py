"""`make serve`, the README's first command, builds the guide and serves it on loopback."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import time
from pathlib import Path

import httpx


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def test_make_serve_serves_the_guide(repo_root: Path) -> None:
    addr = f"127.0.0.1:{_free_port()}"
    server = subprocess.Popen(
        ["make", "--no-print-directory", "serve", f"SERVE_ADDR={addr}"],
        cwd=repo_root,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    try:
        # Polling, not timing: the test only waits for the server to answer.
        deadline = time.monotonic() + 120
        page = None
        while time.monotonic() < deadline and server.poll() is None:
            try:
                page = httpx.get(f"http://{addr}/", timeout=2)
                break
            except httpx.TransportError:
                time.sleep(0.25)
        assert page is not None, f"make serve did not answer on {addr}"
        assert page.status_code == 200
        assert "<title>" in page.text
    finally:
        os.killpg(server.pid, signal.SIGINT)
        server.wait(timeout=30)
