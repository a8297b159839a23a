"""`make serve`, the README's first command, builds the guide and serves it on loopback;
`make serve-zensical` does the same with Zensical."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

from guidetools.builders import copy_project


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _served_page(target: str, project: Path, *variables: str) -> httpx.Response:
    """The home page as `make TARGET` in `project` serves it; the server is stopped after."""
    addr = f"127.0.0.1:{_free_port()}"
    server = subprocess.Popen(
        ["make", "--no-print-directory", target, f"SERVE_ADDR={addr}", *variables],
        cwd=project,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    try:
        # Polling, not timing: the test only waits for the server to serve the page
        # (Zensical answers 404 until its first build is done).
        deadline = time.monotonic() + 120
        page = None
        while time.monotonic() < deadline and server.poll() is None:
            try:
                page = httpx.get(f"http://{addr}/", timeout=2)
            except httpx.TransportError:
                page = None
            if page is not None and page.status_code == 200:
                return page
            time.sleep(0.25)
        raise AssertionError(f"make {target} did not serve the guide on {addr}: {page}")
    finally:
        os.killpg(server.pid, signal.SIGINT)
        server.wait(timeout=30)


def test_make_serve_serves_the_guide(repo_root: Path) -> None:
    page = _served_page("serve", repo_root)
    assert "<title>" in page.text
    # MkDocs with Material: the reference, until the README says otherwise.
    assert '<meta name="generator" content="mkdocs-' in page.text
    assert "mkdocs-material-" in page.text


def test_make_serve_zensical_serves_the_guide(repo_root: Path, tmp_path: Path) -> None:
    # Zensical writes site/ and .cache/ into the project it serves: a copy, with this
    # checkout's virtual environment (already installed, so `install` does nothing).
    project = copy_project(repo_root, tmp_path / "project")
    page = _served_page("serve-zensical", project, f"VENV={Path(sys.prefix)}")
    assert '<meta name="generator" content="zensical' in page.text
    assert (project / "site" / "index.html").is_file()
