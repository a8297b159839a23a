"""Injected faults, the outcome queue, the journal, and the admin routes."""

from __future__ import annotations

import contextlib
from collections.abc import Callable

import httpx
import pytest

from cachebust.fake import FakeKoyeb, FakeServer

MakeClient = Callable[..., httpx.Client]


def _deployments(fake: FakeKoyeb, api: httpx.Client) -> int:
    count: int = api.get("/v1/deployments", params={"service_id": fake.service_id}).json()["count"]
    return count


@pytest.mark.parametrize(
    ("status", "code"),
    [
        (401, "authentication_error"),
        (403, "authorization_required"),
        (404, "unknown_resource"),
        (500, "api_error"),
        (503, "api_error"),
    ],
)
def test_injected_error_statuses_answer_without_acting(
    koyeb_fake: FakeKoyeb, api: httpx.Client, status: int, code: str
) -> None:
    path = f"/v1/services/{koyeb_fake.service_id}/redeploy"
    koyeb_fake.inject("POST", "/v1/services/*/redeploy", status=status, times=2)
    for _ in range(2):
        response = api.post(path, json={})
        assert response.status_code == status
        assert response.json()["status"] == status and response.json()["code"] == code
    assert _deployments(koyeb_fake, api) == 3  # nothing was deployed
    assert api.post(path, json={}).status_code == 200
    assert koyeb_fake.faults == []


def test_429_has_retry_after_and_a_google_rpc_status_body(
    koyeb_fake: FakeKoyeb, api: httpx.Client
) -> None:
    koyeb_fake.inject("GET", "/v1/deployments/*", status=429, retry_after=7)
    koyeb_fake.inject("*", "/v1/apps", status=429)
    active = koyeb_fake.service()["active_deployment_id"]
    response = api.get(f"/v1/deployments/{active}")
    assert response.status_code == 429 and response.headers["retry-after"] == "7"
    assert response.json() == {
        "code": 8,
        "message": "Too many requests: rate limit exceeded",
        "details": [],
    }
    assert api.get("/v1/apps").headers["retry-after"] == "1"
    assert api.get(f"/v1/deployments/{active}").status_code == 200


def test_drop_after_acting_creates_exactly_one_deployment_in_process(
    koyeb_fake: FakeKoyeb, api: httpx.Client
) -> None:
    koyeb_fake.inject("POST", "/v1/services/*/redeploy", drop=True)
    with pytest.raises(httpx.RemoteProtocolError):
        api.post(f"/v1/services/{koyeb_fake.service_id}/redeploy", json={})
    assert _deployments(koyeb_fake, api) == 4
    dropped = next(e for e in koyeb_fake.journal if e.method == "POST")
    assert dropped.status is None and dropped.fault is not None


def test_drop_after_acting_over_http(koyeb_fake_server: FakeServer) -> None:
    fake = koyeb_fake_server.fake
    fake.inject("POST", "/v1/services/*/redeploy", drop=True)
    headers = {"Authorization": f"Bearer {fake.token}"}
    with httpx.Client(base_url=koyeb_fake_server.url, headers=headers) as http:
        with pytest.raises(httpx.RemoteProtocolError):
            http.post(f"/v1/services/{fake.service_id}/redeploy", json={})
        assert _deployments(fake, http) == 4


def test_a_late_answer_beyond_the_read_timeout_still_acted(
    koyeb_fake: FakeKoyeb, make_client: MakeClient
) -> None:
    api = make_client(timeout=5.0)
    koyeb_fake.inject("POST", "/v1/services/*/redeploy", delay=30)
    with pytest.raises(httpx.ReadTimeout):
        api.post(f"/v1/services/{koyeb_fake.service_id}/redeploy", json={})
    assert _deployments(koyeb_fake, api) == 4
    koyeb_fake.inject("GET", "/v1/apps", delay=3)
    before = koyeb_fake.clock.monotonic()
    assert api.get("/v1/apps").status_code == 200
    assert koyeb_fake.clock.monotonic() - before == pytest.approx(3)


def test_a_late_answer_over_http(koyeb_fake_server: FakeServer) -> None:
    fake = koyeb_fake_server.fake
    fake.inject("GET", "/v1/apps", delay=0.5)
    headers = {"Authorization": f"Bearer {fake.token}"}
    http = httpx.Client(base_url=koyeb_fake_server.url, headers=headers, timeout=0.1)
    with http, pytest.raises(httpx.ReadTimeout):
        http.get("/v1/apps")


def test_malformed_json(koyeb_fake: FakeKoyeb, api: httpx.Client) -> None:
    koyeb_fake.inject("GET", "/v1/services/*", malformed=True)
    response = api.get(f"/v1/services/{koyeb_fake.service_id}")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    with pytest.raises(ValueError):
        response.json()


@pytest.mark.parametrize(
    ("fault", "acted"),
    [
        ({"status": 502, "act": True}, True),
        ({"drop": True, "act": False}, False),
        ({"malformed": True, "act": False}, False),
    ],
)
def test_act_says_whether_the_fake_acts_first(
    koyeb_fake: FakeKoyeb, api: httpx.Client, fault: dict[str, object], acted: bool
) -> None:
    koyeb_fake.inject("POST", "/v1/services/*/redeploy", **fault)  # type: ignore[arg-type]
    with contextlib.suppress(httpx.RemoteProtocolError):  # the dropped connection
        api.post(f"/v1/services/{koyeb_fake.service_id}/redeploy", json={})
    assert _deployments(koyeb_fake, api) == 3 + acted


def test_an_html_error_page_as_a_proxy_sends_it(koyeb_fake: FakeKoyeb, api: httpx.Client) -> None:
    koyeb_fake.inject("GET", "/v1/apps", status=502, html=True)
    response = api.get("/v1/apps")
    assert response.status_code == 502
    assert response.headers["content-type"] == "text/html"
    assert response.text.startswith("<html>")


@pytest.mark.parametrize(
    "arguments",
    [
        {"status": 200},
        {"html": True, "drop": True},
        {"status": 503, "drop": True},
        {"drop": True, "malformed": True},
        {},
        {"retry_after": 3, "status": 503},
        {"times": 0, "status": 500},
    ],
)
def test_nonsense_faults_are_refused(koyeb_fake: FakeKoyeb, arguments: dict[str, object]) -> None:
    with pytest.raises(ValueError):
        koyeb_fake.inject("GET", "/v1/apps", **arguments)  # type: ignore[arg-type]


def test_unknown_outcome_is_refused(koyeb_fake: FakeKoyeb) -> None:
    with pytest.raises(ValueError, match="outcome must be one of"):
        koyeb_fake.next_deployment_outcome("exploded")


def test_journal_masks_the_token_right_or_wrong(
    koyeb_fake: FakeKoyeb, make_client: MakeClient
) -> None:
    make_client().get("/v1/apps", params=[("statuses", "A"), ("statuses", "B")])
    make_client(token="a-real-looking-token").get("/v1/apps")
    first, second = list(koyeb_fake.journal)
    assert first.headers["authorization"] == "Bearer ***"
    assert second.headers["authorization"] == "Bearer ***" and second.status == 401
    assert first.query == {"statuses": ["A", "B"]}
    assert first.method == "GET" and first.path == "/v1/apps" and first.body is None
    assert koyeb_fake.token not in repr(list(koyeb_fake.journal))
    assert "a-real-looking-token" not in repr(list(koyeb_fake.journal))


def test_admin_routes(koyeb_fake: FakeKoyeb, api: httpx.Client, make_client: MakeClient) -> None:
    info = api.get("/_fake/info").json()
    assert (info["app_id"], info["service_id"]) == (koyeb_fake.app_id, koyeb_fake.service_id)
    assert info["app"] == koyeb_fake.settings.app and info["speed"] == 0
    fault = {"method": "POST", "path": "/v1/services/*/redeploy", "status": 503}
    assert api.post("/_fake/faults", json=fault).json()["fault"]["status"] == 503
    assert len(api.get("/_fake/faults").json()["faults"]) == 1
    assert api.post(f"/v1/services/{koyeb_fake.service_id}/redeploy", json={}).status_code == 503
    assert api.post("/_fake/outcomes", json={"outcome": "stuck"}).status_code == 200
    new = api.post(f"/v1/services/{koyeb_fake.service_id}/redeploy", json={}).json()
    before = api.get("/_fake/clock").json()["now"]
    assert api.post("/_fake/clock", json={"advance": 3600}).json()["now"] > before
    assert koyeb_fake.deployment(new["deployment"]["id"])["status"] == "PROVISIONING"
    entries = api.get("/_fake/journal").json()["entries"]
    assert [e["status"] for e in entries] == [503, 200]  # admin calls are not journaled
    assert api.delete("/_fake/journal").status_code == 200 and len(koyeb_fake.journal) == 0
    assert api.post("/_fake/faults", json={"method": "GET"}).status_code == 400
    assert (
        api.post("/_fake/faults", json={"method": "GET", "path": "/x", "status": "x"}).status_code
        == 400
    )
    assert api.post("/_fake/clock", json={"advance": "soon"}).status_code == 400
    assert api.get("/_fake/nothing").status_code == 404
    assert make_client(token="").get("/_fake/info").status_code == 401
