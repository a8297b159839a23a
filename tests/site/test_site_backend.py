"""The sample `api` service answers its health endpoint, in-process and over loopback."""

from __future__ import annotations

import importlib.util
import json
import threading
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server
from wsgiref.util import setup_testing_defaults

import httpx
import pytest

from cachebust._config import load


@pytest.fixture(scope="module")
def app(repo_root: Path) -> ModuleType:
    settings = load(repo_root)
    path = settings.root / Path(settings.dockerfile).parent / "app.py"
    spec = importlib.util.spec_from_file_location("backend_app", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _call(app: ModuleType, method: str, path: str) -> tuple[str, dict[str, str], bytes]:
    environ: dict[str, Any] = {"REQUEST_METHOD": method, "PATH_INFO": path}
    setup_testing_defaults(environ)
    seen: dict[str, Any] = {}

    def start_response(status: str, headers: list[tuple[str, str]]) -> None:
        seen.update(status=status, headers=dict(headers))

    body = b"".join(app.application(environ, start_response))
    return seen["status"], seen["headers"], body


def test_health_endpoint_says_ok(app: ModuleType) -> None:
    status, headers, body = _call(app, "GET", "/healthz")
    assert status == "200 OK"
    assert headers["Content-Type"] == "application/json"
    assert int(headers["Content-Length"]) == len(body)
    assert json.loads(body) == {"status": "ok", "version": app.VERSION}


@pytest.mark.parametrize(
    ("method", "path", "status"),
    [("GET", "/", "404 Not Found"), ("POST", "/healthz", "405 Method Not Allowed")],
)
def test_other_requests_are_refused(app: ModuleType, method: str, path: str, status: str) -> None:
    assert _call(app, method, path)[0] == status


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        """No access log on the test output."""


@pytest.fixture
def served(app: ModuleType) -> Iterator[str]:
    server: WSGIServer = make_server("127.0.0.1", 0, app.application, handler_class=_QuietHandler)
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()


def test_health_endpoint_over_http(served: str) -> None:
    response = httpx.get(f"{served}/healthz", timeout=5)
    assert response.status_code == 200
    assert response.json()["status"] == "ok"
