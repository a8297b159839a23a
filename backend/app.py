"""The `api` service: a WSGI application with a health endpoint.

Standard library only, so it imports and runs in tests without its server;
in the image, gunicorn serves `app:application` (see requirements.txt and the
Dockerfile). Koyeb's health check and the guide's troubleshooting steps call
`GET /healthz`.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from typing import Any

StartResponse = Callable[[str, list[tuple[str, str]]], Any]

#: Changed by hand when the code changes, so a reader can tell which code a deployment runs.
VERSION = "1.0.0"


def _json(start_response: StartResponse, status: str, body: dict[str, str]) -> list[bytes]:
    payload = json.dumps(body).encode()
    start_response(
        status,
        [("Content-Type", "application/json"), ("Content-Length", str(len(payload)))],
    )
    return [payload]


def application(environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
    """Answer `GET /healthz`; everything else is 404 or 405."""
    path = environ.get("PATH_INFO", "/")
    if path != "/healthz":
        return _json(start_response, "404 Not Found", {"error": "not found"})
    if environ.get("REQUEST_METHOD", "GET") not in ("GET", "HEAD"):
        return _json(start_response, "405 Method Not Allowed", {"error": "method not allowed"})
    return _json(start_response, "200 OK", {"status": "ok", "version": VERSION})
