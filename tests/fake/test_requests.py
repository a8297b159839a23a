"""The fake refuses what Koyeb refuses, with Koyeb's error bodies."""

from __future__ import annotations

from collections.abc import Callable

import httpx
import pytest

from cachebust.fake import FakeKoyeb

MakeClient = Callable[..., httpx.Client]

UNKNOWN_ID = "00000000-0000-4000-8000-000000000000"


def _fields(response: httpx.Response) -> dict[str, str]:
    assert response.status_code == 400
    assert response.headers["content-type"] == "application/json"
    body = response.json()
    assert body["status"] == 400 and body["code"] == "invalid_argument"
    return {item["field"]: item["description"] for item in body["fields"]}


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"use_cache": "no"}, "use_cache"),
        ({"skip_build": 1}, "skip_build"),
        ({"use_cache": True, "docker_args": ["CACHEBUST=2"]}, "docker_args"),
        ({"skip_cache": True}, "skip_cache"),
    ],
)
def test_redeploy_body_is_checked(
    koyeb_fake: FakeKoyeb, api: httpx.Client, body: dict[str, object], field: str
) -> None:
    response = api.post(f"/v1/services/{koyeb_fake.service_id}/redeploy", json=body)
    assert field in _fields(response)
    assert len(list(koyeb_fake.journal)) == 1  # and nothing was deployed:
    service = koyeb_fake.service()
    assert service["latest_deployment_id"] == service["active_deployment_id"]


def test_update_body_is_checked_deep_inside_the_definition(
    koyeb_fake: FakeKoyeb, api: httpx.Client
) -> None:
    definition = koyeb_fake.deployment(koyeb_fake.service()["latest_deployment_id"])["definition"]
    definition["git"]["docker"]["build_args"] = {"CACHEBUST": "2"}
    definition["skip_cache"] = "yes"
    response = api.put(f"/v1/services/{koyeb_fake.service_id}", json={"definition": definition})
    fields = _fields(response)
    assert fields["definition.git.docker.build_args"] == "unknown field"
    assert "definition.skip_cache" in fields


@pytest.mark.parametrize("raw", [b"{not json", b"[1, 2]", b'"text"'])
def test_a_body_that_is_not_a_json_object_is_refused(
    koyeb_fake: FakeKoyeb, api: httpx.Client, raw: bytes
) -> None:
    response = api.post(f"/v1/services/{koyeb_fake.service_id}/redeploy", content=raw)
    assert "body" in _fields(response)


def test_an_empty_redeploy_body_means_the_defaults(
    koyeb_fake: FakeKoyeb, api: httpx.Client
) -> None:
    response = api.post(f"/v1/services/{koyeb_fake.service_id}/redeploy")
    assert response.status_code == 200
    assert response.json()["deployment"]["status"] == "PENDING"


@pytest.mark.parametrize("token", ["", "wrong-token"])
def test_missing_or_wrong_token_is_401(make_client: MakeClient, token: str) -> None:
    response = make_client(token=token).get("/v1/apps")
    assert response.status_code == 401
    assert response.headers["content-type"] == "application/json"
    assert response.json() == {
        "status": 401,
        "code": "authentication_error",
        "message": "Request unauthenticated with bearer",
    }


@pytest.mark.parametrize(
    ("path", "message"),
    [
        (f"/v1/apps/{UNKNOWN_ID}", "App not found"),
        (f"/v1/services/{UNKNOWN_ID}", "Service not found"),
        (f"/v1/deployments/{UNKNOWN_ID}", "Deployment not found"),
        ("/v1/services/not-an-id", "Service not found"),
    ],
)
def test_unknown_ids_are_404_unknown_resource(api: httpx.Client, path: str, message: str) -> None:
    response = api.get(path)
    assert response.status_code == 404
    assert response.json() == {"status": 404, "code": "unknown_resource", "message": message}


def test_unknown_ids_in_actions_are_404(api: httpx.Client) -> None:
    assert api.post(f"/v1/services/{UNKNOWN_ID}/redeploy", json={}).status_code == 404
    assert api.post(f"/v1/deployments/{UNKNOWN_ID}/cancel").status_code == 404
    assert api.put(f"/v1/services/{UNKNOWN_ID}", json={}).status_code == 404


def test_unknown_route_and_unsupported_method(api: httpx.Client, koyeb_fake: FakeKoyeb) -> None:
    assert api.get("/v1/nothing-here").status_code == 404
    response = api.delete(f"/v1/services/{koyeb_fake.service_id}")
    assert response.status_code == 501
    body = response.json()
    assert body["code"] == 12 and "not implemented by the fake" in body["message"]


def test_skip_build_reuses_the_last_successful_build(
    koyeb_fake: FakeKoyeb, api: httpx.Client
) -> None:
    other = api.get("/v1/services", params={"name": koyeb_fake.settings.service}).json()
    assert other["count"] == 2  # the configured service and its namesake in the other app
    koyeb_fake.next_deployment_outcome("error")
    created = api.post(f"/v1/services/{koyeb_fake.service_id}/redeploy", json={}).json()
    koyeb_fake.clock.advance(600)
    assert koyeb_fake.deployment(created["deployment"]["id"])["status"] == "ERROR"
    # A failed build is not one to reuse; the last good one still is.
    ok = api.post(f"/v1/services/{koyeb_fake.service_id}/redeploy", json={"skip_build": True})
    assert ok.status_code == 200
    assert ok.json()["deployment"]["skip_build"] is True


def test_dry_run_changes_nothing(koyeb_fake: FakeKoyeb, api: httpx.Client) -> None:
    before = koyeb_fake.service()
    response = api.put(f"/v1/services/{koyeb_fake.service_id}", params={"dry_run": "true"}, json={})
    assert response.status_code == 200
    assert koyeb_fake.service() == before
    bad = api.put(f"/v1/services/{koyeb_fake.service_id}", params={"dry_run": "maybe"}, json={})
    assert "dry_run" in _fields(bad)
