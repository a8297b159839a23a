"""Helpers for the fake's tests, and the suite-wide contract check.

After every test, each reply any fake in the test sent is parsed again with the
koyeb-sdk model that the SDK's own generated client would use for that operation
and status (a table kept here, independent of the fake's own choice of model).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest

from cachebust.fake import FakeKoyeb, FakeServer
from cachebust.fake._schemas import model as sdk_model

# (method, path) -> the 200 model, as in koyeb-sdk's *_api.py `_response_types_map`.
_OK_MODELS = [
    ("GET", r"/v1/apps", "ListAppsReply"),
    ("GET", r"/v1/apps/[^/]+", "GetAppReply"),
    ("GET", r"/v1/services", "ListServicesReply"),
    ("GET", r"/v1/services/[^/]+", "GetServiceReply"),
    ("PUT", r"/v1/services/[^/]+", "UpdateServiceReply"),
    ("PATCH", r"/v1/services/[^/]+", "UpdateServiceReply"),
    ("POST", r"/v1/services/[^/]+/redeploy", "RedeployReply"),
    ("GET", r"/v1/deployments", "ListDeploymentsReply"),
    ("GET", r"/v1/deployments/[^/]+", "GetDeploymentReply"),
    ("POST", r"/v1/deployments/[^/]+/cancel", "object"),
    ("GET", r"/v1/streams/logs/query", "QueryLogsReply"),
    ("GET", r"/v1/account/profile", "UserReply"),
]
_ERROR_MODELS = {400: "ErrorWithFields", 401: "Error", 403: "Error", 404: "Error", 500: "Error"}
_ERROR_MODELS[503] = "Error"


def expected_model(method: str, path: str, status: int) -> str:
    if status != 200:
        return _ERROR_MODELS.get(status, "GoogleRpcStatus")
    for verb, pattern, model in _OK_MODELS:
        if verb == method and re.fullmatch(pattern, path):
            return model
    raise AssertionError(f"no koyeb-sdk model known for {method} {path}")


UUID4 = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}")
RFC3339 = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,9})?(Z|[+-]\d\d:\d\d)")
_TIME_KEYS = {"next_start", "next_end"}


def assert_shapes(value: Any, key: str = "") -> None:
    """Ids are lowercase UUIDv4 (or empty), times RFC 3339, versions strings, everywhere."""
    if isinstance(value, dict):
        for name, item in value.items():
            assert_shapes(item, name)
    elif isinstance(value, list):
        for item in value:
            assert_shapes(item, key)
    elif key == "version":
        assert isinstance(value, str) and value.isdigit(), value
    elif (key == "id" or key.endswith("_id")) and isinstance(value, str) and value:
        assert UUID4.fullmatch(value), (key, value)
    elif key.endswith("_at") or key in _TIME_KEYS:
        assert isinstance(value, str) and RFC3339.fullmatch(value), (key, value)


def assert_replies_parse(fake: FakeKoyeb) -> int:
    checked = 0
    for entry in fake.journal:
        if entry.status is None or entry.model is None:  # dropped, or deliberately malformed
            continue
        model = expected_model(entry.method, entry.path, entry.status)
        assert entry.model == model, (entry.method, entry.path, entry.status)
        assert isinstance(entry.reply, dict), entry
        if model != "object":
            parsed = sdk_model(model).from_dict(entry.reply)
            # Nothing dropped on the way: the reply carries only fields the model knows.
            assert entry.reply.keys() <= parsed.to_dict().keys(), (model, entry.reply.keys())
        assert_shapes(entry.reply)
        if entry.status >= 400 and model != "GoogleRpcStatus":
            assert entry.reply["status"] == entry.status
        checked += 1
    return checked


@pytest.fixture(autouse=True)
def _every_reply_parses_as_its_sdk_model(request: pytest.FixtureRequest) -> Iterator[None]:
    yield
    for value in request.node.funcargs.values():
        fake = value.fake if isinstance(value, FakeServer) else value
        if isinstance(fake, FakeKoyeb):
            assert not fake.contract_violations
            assert_replies_parse(fake)


MakeClient = Callable[..., httpx.Client]


@pytest.fixture
def make_client(koyeb_fake: FakeKoyeb) -> Iterator[MakeClient]:
    """Builds httpx clients on the in-process fake; `token=""` sends no Authorization."""
    clients: list[httpx.Client] = []

    def make(token: str | None = None, **kwargs: Any) -> httpx.Client:
        token = koyeb_fake.token if token is None else token
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        client = httpx.Client(
            transport=koyeb_fake.transport,
            base_url="https://app.koyeb.com",
            headers=headers,
            **kwargs,
        )
        clients.append(client)
        return client

    yield make
    for client in clients:
        client.close()


@pytest.fixture
def api(make_client: MakeClient) -> httpx.Client:
    """An httpx client on the in-process fake, with its token."""
    return make_client()
