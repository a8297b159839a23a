"""Benchmark: `cachebust fake-api` under many clients at once and oversized uploads.

Issue 10 found the demo server resetting 64-81 of 200 connections made at once (its
listen backlog was 5) and growing by 300 MB, for good, from five 50 MB uploads
without a token. This starts `cachebust fake-api` as its own process, so that its
memory is that process's resident set (VmRSS in /proc/PID/status), and then:

- CLIENTS clients connect at once and GET /v1/apps with the token, ROUNDS times;
  counted are the connections reset, and every client not answered 200;
- UPLOADS clients at once each start a 50 MB POST without the token, then UPLOADS
  more with it; each should get its 401 or 413 without the server reading the body;
- the resident set's growth since before the first round, against a 30 MB budget.

Loopback only; every socket times out after WAIT seconds, which bounds the run.

    .venv/bin/python -c "from bench import server_load; print(server_load.run())"
"""

from __future__ import annotations

import http.client
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager, suppress
from pathlib import Path

from bench.report import line
from bench.sites import REPO
from cachebust.fake import DEFAULT_TOKEN

CLIENTS = 200
ROUNDS = 3
UPLOADS = 5
UPLOAD_BYTES = 50 * 1024 * 1024
BUDGET_MB = 30.0
WAIT = 30.0
BIN = Path(sys.executable).parent


@contextmanager
def _fake_api() -> Iterator[tuple[int, int]]:
    """A running `cachebust fake-api`: its pid and port. Fails the run if it logged a traceback."""
    command = [str(BIN / "cachebust"), "fake-api", "--speed", "0"]
    process = subprocess.Popen(
        command, cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    assert process.stdout is not None
    try:
        url = process.stdout.readline().strip()
        if url:
            yield process.pid, int(url.rpartition(":")[2])
    finally:
        process.terminate()
        _, err = process.communicate(timeout=WAIT)
    if not url:
        raise SystemExit(f"bench: `cachebust fake-api` did not start:\n{err}")
    if "Traceback" in err:
        raise SystemExit(f"bench: `cachebust fake-api` logged a traceback:\n{err}")


def _rss_mb(pid: int) -> float:
    for field in Path(f"/proc/{pid}/status").read_text().splitlines():
        if field.startswith("VmRSS:"):
            return int(field.split()[1]) / 1024  # in kB
    raise SystemExit(f"bench: no VmRSS for process {pid}")


def _head(method: str, path: str, *headers: str) -> bytes:
    lines = [f"{method} {path} HTTP/1.1", "Host: 127.0.0.1", "Connection: close", *headers]
    return ("\r\n".join(lines) + "\r\n\r\n").encode()


def _status(sock: socket.socket) -> int:
    response = http.client.HTTPResponse(sock)
    response.begin()
    response.read()
    return response.status


def _get(port: int) -> str:
    """One client's outcome: "ok", "reset" or "failed"."""
    request = _head("GET", "/v1/apps", f"Authorization: Bearer {DEFAULT_TOKEN}")
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=WAIT) as sock:
            sock.sendall(request)
            return "ok" if _status(sock) == 200 else "failed"
    except ConnectionResetError:
        return "reset"
    except (OSError, http.client.HTTPException):
        return "failed"


def _upload(port: int, token: str | None, payload: memoryview) -> int | None:
    """The status answered to a POST of `payload`, or None when there was no answer."""
    auth = [f"Authorization: Bearer {token}"] if token else []
    request = _head("POST", "/_fake/faults", f"Content-Length: {len(payload)}", *auth)
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=WAIT) as sock:
            sock.sendall(request)
            # Cut short when the server answers without reading: its answer is waiting.
            with suppress(BrokenPipeError, ConnectionResetError):
                sock.sendall(payload)
            return _status(sock)
    except (OSError, http.client.HTTPException):
        return None


def _at_once(count: int, task: Callable[[], object]) -> list[object]:
    """Run `task` in `count` threads that all start it at the same moment."""
    together = threading.Barrier(count)

    def started() -> object:
        together.wait(timeout=WAIT)
        return task()

    with ThreadPoolExecutor(max_workers=count) as pool:
        futures = [pool.submit(started) for _ in range(count)]
        return [future.result() for future in futures]


def run() -> list[str]:
    """The benchmark's report lines: `name: value (ratio to baseline)`."""
    payload = memoryview(bytes(UPLOAD_BYTES))
    with _fake_api() as (pid, port):
        _get(port)  # warm up: the first request imports what answering needs
        baseline_mb = _rss_mb(pid)
        outcomes = [o for _ in range(ROUNDS) for o in _at_once(CLIENTS, lambda: _get(port))]
        statuses = _at_once(UPLOADS, lambda: _upload(port, None, payload))
        statuses += _at_once(UPLOADS, lambda: _upload(port, DEFAULT_TOKEN, payload))
        time.sleep(0.5)  # the handler threads end
        growth_mb = _rss_mb(pid) - baseline_mb
    clients, load = len(outcomes), f"fake-api, {CLIENTS} clients at once x {ROUNDS} rounds"
    refused = [401] * UPLOADS + [413] * UPLOADS
    uploads = f"{2 * UPLOADS} uploads of {UPLOAD_BYTES // 2**20} MB"
    return [
        line(
            f"{load}, connection reset",
            outcomes.count("reset"),
            clients,
            unit=" clients",
            fmt="d",
            against="the run",
        ),
        line(
            f"{load}, not answered 200",
            clients - outcomes.count("ok"),
            clients,
            unit=" clients",
            fmt="d",
            against="the run",
        ),
        line(
            f"fake-api, {uploads} (half without a token), answered 401/413",
            sum(got == want for got, want in zip(statuses, refused, strict=True)),
            len(refused),
            unit=" uploads",
            fmt="d",
            against="the run",
        ),
        line(
            f"fake-api memory growth after the clients and the {uploads}",
            growth_mb,
            BUDGET_MB,
            unit=" MB",
            fmt=".1f",
            against="the budget",
        ),
    ]


if __name__ == "__main__":
    print("\n".join(run()))
