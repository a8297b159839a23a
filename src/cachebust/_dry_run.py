"""`--dry-run`: the real code path, against a transport that records and sends nothing.

A `Client(transport=DryRunTransport())` resolves names and starts a redeploy exactly as
it always does. Each request is recorded and answered with placeholders (`{app_id}`,
`{service_id}`, ...) where only Koyeb knows the value, so the requests that follow show
where they would go. What is printed is therefore what would be sent, by construction.

```python
recorder = DryRunTransport()
client = Client("***", transport=recorder)
client.start_redeploy(client.resolve_service("my-app/web").service_id).send()
for request in recorder.requests:
    print(request.method, request.url)
```
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import httpx

_Answer = Callable[[httpx.Request, re.Match[str]], dict[str, Any]]


def _apps(request: httpx.Request, _: re.Match[str]) -> dict[str, Any]:
    app = {"id": "{app_id}", "name": request.url.params.get("name", "{app}")}
    return {"apps": [app], "count": 1, "has_next": False}


def _services(request: httpx.Request, _: re.Match[str]) -> dict[str, Any]:
    params = request.url.params
    service = {
        "id": "{service_id}",
        "name": params.get("name", "{service}"),
        "app_id": params.get("app_id", "{app_id}"),
    }
    return {"services": [service], "count": 1, "has_next": False}


#: (method, path pattern, answer) for each request the rebuild makes.
_ANSWERS: tuple[tuple[str, re.Pattern[str], _Answer], ...] = (
    ("GET", re.compile(r"/v1/apps"), _apps),
    (
        "GET",
        re.compile(r"/v1/apps/(?P<id>[^/]+)"),
        lambda _, m: {"app": {"id": m["id"], "name": "{app}"}},
    ),
    ("GET", re.compile(r"/v1/services"), _services),
    (
        "GET",
        re.compile(r"/v1/services/(?P<id>[^/]+)"),
        lambda _, m: {"service": {"id": m["id"], "name": "{service}", "app_id": "{app_id}"}},
    ),
    ("GET", re.compile(r"/v1/deployments"), lambda *_: {"deployments": [], "count": 0}),
    (
        "POST",
        re.compile(r"/v1/services/[^/]+/redeploy"),
        lambda *_: {"deployment": {"id": "{deployment_id}"}},
    ),
)


class DryRunTransport(httpx.BaseTransport):
    """Records every request (`requests`) and answers it with placeholders."""

    def __init__(self) -> None:
        self.requests: list[httpx.Request] = []

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        path = httpx.URL(request.url).path
        for method, pattern, answer in _ANSWERS:
            match = pattern.fullmatch(path)
            if method == request.method and match is not None:
                return httpx.Response(200, json=answer(request, match), request=request)
        # A request the dry run does not know: the code path changed and this must too.
        return httpx.Response(501, json={"message": f"dry run: {request.method} {path}"})
