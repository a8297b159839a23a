"""Deployments move through their statuses on the fake's clock; cache use shows in the logs."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from cachebust.fake import FakeKoyeb

HAPPY_PATH = ["PENDING", "PROVISIONING", "SCHEDULED", "ALLOCATING", "STARTING", "HEALTHY"]


def _redeploy(fake: FakeKoyeb, api: httpx.Client, **body: Any) -> str:
    response = api.post(f"/v1/services/{fake.service_id}/redeploy", json=body)
    assert response.status_code == 200, response.text
    deployment_id: str = response.json()["deployment"]["id"]
    return deployment_id


def _walk(fake: FakeKoyeb, deployment_id: str, seconds: float, step: float = 0.5) -> list[str]:
    """The distinct statuses seen while `seconds` pass, polling every `step`."""
    seen = [fake.deployment(deployment_id)["status"]]
    for _ in range(int(seconds / step)):
        fake.clock.advance(step)
        status = fake.deployment(deployment_id)["status"]
        if status != seen[-1]:
            seen.append(status)
    return seen


def _build_log(api: httpx.Client, deployment_id: str) -> list[str]:
    query = {"type": "build", "deployment_id": deployment_id, "order": "asc", "limit": 1000}
    reply = api.get("/v1/streams/logs/query", params={**query, "start": "2000-01-01T00:00:00Z"})
    return [entry["msg"] for entry in reply.json()["data"]]


def test_a_deployment_walks_its_statuses_in_order(koyeb_fake: FakeKoyeb, api: httpx.Client) -> None:
    previous = koyeb_fake.service()["active_deployment_id"]
    new = _redeploy(koyeb_fake, api)
    assert koyeb_fake.service()["latest_deployment_id"] == new
    assert _walk(koyeb_fake, new, 400) == HAPPY_PATH
    service = koyeb_fake.service()
    assert service["active_deployment_id"] == new
    assert service["last_provisioned_deployment_id"] == new
    old = koyeb_fake.deployment(previous)
    assert old["status"] == "STOPPED" and old["child_id"] == new
    done = koyeb_fake.deployment(new)
    assert done["parent_id"] == previous
    for stamp in ("allocated_at", "started_at", "succeeded_at"):
        assert done[stamp] >= done["created_at"]


def test_a_failing_build_ends_in_error_and_its_log_says_why(
    koyeb_fake: FakeKoyeb, api: httpx.Client
) -> None:
    koyeb_fake.next_deployment_outcome("error")
    active = koyeb_fake.service()["active_deployment_id"]
    new = _redeploy(koyeb_fake, api)
    assert _walk(koyeb_fake, new, 400) == ["PENDING", "PROVISIONING", "ERRORING", "ERROR"]
    deployment = koyeb_fake.deployment(new)
    assert "did not complete successfully: exit code: 1" in deployment["messages"][0]
    stage = deployment["provisioning_info"]["stages"][0]
    assert (
        stage["status"] == "FAILED"
        and stage["build_attempts"][0]["steps"][-1]["status"] == "FAILED"
    )
    log = _build_log(api, new)
    assert any("No matching distribution found" in line for line in log)
    assert log[-1].startswith("ERROR: failed to solve: process")
    assert koyeb_fake.service()["active_deployment_id"] == active  # the old one keeps serving


@pytest.mark.parametrize(
    ("outcome", "path"),
    [
        ("unhealthy", [*HAPPY_PATH[:-1], "UNHEALTHY"]),
        ("canceled", ["PENDING", "PROVISIONING", "CANCELING", "CANCELED"]),
        ("stuck", ["PENDING", "PROVISIONING"]),
    ],
)
def test_other_outcomes(
    koyeb_fake: FakeKoyeb, api: httpx.Client, outcome: str, path: list[str]
) -> None:
    koyeb_fake.next_deployment_outcome(outcome)
    new = _redeploy(koyeb_fake, api)
    assert _walk(koyeb_fake, new, 3600, step=1) == path
    # The queue held one outcome: the next deployment is healthy again.
    assert _walk(koyeb_fake, _redeploy(koyeb_fake, api), 400) == HAPPY_PATH


def test_redeploy_builds_without_cache_unless_use_cache(
    koyeb_fake: FakeKoyeb, api: httpx.Client
) -> None:
    uncached = _redeploy(koyeb_fake, api, use_cache=False, skip_build=False)
    koyeb_fake.clock.advance(400)
    cached = _redeploy(koyeb_fake, api, use_cache=True)
    koyeb_fake.clock.advance(400)
    plain, from_cache = _build_log(api, uncached), _build_log(api, cached)
    assert not [line for line in plain if line.endswith(" CACHED")]
    assert [line for line in from_cache if line.endswith(" CACHED")]
    settings = koyeb_fake.settings
    arg, value = settings.build_arg, settings.build_arg_default
    dockerfile = (settings.root / settings.dockerfile).read_text(encoding="utf-8")
    consuming = next(line for line in dockerfile.splitlines() if f"${{{arg}}}" in line)
    # The ARG only has its default: the RUN using it shows that value.
    assert any(line.endswith(consuming.replace(f"${{{arg}}}", value)) for line in plain)
    assert any(settings.dockerfile in line for line in plain)
    steps = koyeb_fake.deployment(cached)["provisioning_info"]["stages"][0]["build_attempts"][0]
    assert any(step["messages"] == ["CACHED"] for step in steps["steps"])


def test_skip_cache_in_the_definition_wins_over_use_cache(
    koyeb_fake: FakeKoyeb, api: httpx.Client
) -> None:
    latest = api.get(
        "/v1/deployments", params={"service_id": koyeb_fake.service_id, "limit": 1}
    ).json()["deployments"][0]
    definition = {**latest["definition"], "skip_cache": True}
    reply = api.put(f"/v1/services/{koyeb_fake.service_id}", json={"definition": definition})
    assert reply.status_code == 200
    updated = reply.json()["service"]["latest_deployment_id"]
    assert updated != latest["id"]
    koyeb_fake.clock.advance(400)
    again = _redeploy(koyeb_fake, api, use_cache=True)
    koyeb_fake.clock.advance(400)
    for deployment_id in (updated, again):
        assert not [line for line in _build_log(api, deployment_id) if line.endswith(" CACHED")]
        assert koyeb_fake.deployment(deployment_id)["definition"]["skip_cache"] is True
    # `koyeb service update` without --skip-cache writes skip_cache: false: cached again.
    definition["skip_cache"] = False
    patched = api.patch(f"/v1/services/{koyeb_fake.service_id}", json={"definition": definition})
    cached = patched.json()["service"]["latest_deployment_id"]
    koyeb_fake.clock.advance(400)
    assert [line for line in _build_log(api, cached) if line.endswith(" CACHED")]


def test_skip_build_reuses_the_last_build(koyeb_fake: FakeKoyeb, api: httpx.Client) -> None:
    built = koyeb_fake.service()["last_provisioned_deployment_id"]
    new = _redeploy(koyeb_fake, api, skip_build=True)
    assert _walk(koyeb_fake, new, 400) == HAPPY_PATH
    deployment = koyeb_fake.deployment(new)
    assert deployment["skip_build"] is True
    assert deployment["metadata"]["git"]["last_provisioned_deployment_id"] == built
    assert "stages" not in deployment["provisioning_info"]
    assert _build_log(api, new) == []
    assert koyeb_fake.service()["last_provisioned_deployment_id"] == built


def test_save_only_stores_without_deploying(koyeb_fake: FakeKoyeb, api: httpx.Client) -> None:
    before = koyeb_fake.service()
    reply = api.put(f"/v1/services/{koyeb_fake.service_id}", json={"save_only": True}).json()
    assert reply["service"]["latest_deployment_id"] == before["latest_deployment_id"]
    assert int(reply["service"]["version"]) == int(before["version"]) + 1


def test_cancel_only_while_pending_provisioning_or_scheduled(
    koyeb_fake: FakeKoyeb, api: httpx.Client
) -> None:
    active = koyeb_fake.service()["active_deployment_id"]
    refused = api.post(f"/v1/deployments/{active}/cancel")
    assert refused.status_code == 400 and "HEALTHY" in refused.json()["message"]
    new = _redeploy(koyeb_fake, api)
    koyeb_fake.clock.advance(30)
    done = api.post(f"/v1/deployments/{new}/cancel")
    assert done.status_code == 200 and done.json() == {}
    assert _walk(koyeb_fake, new, 60) == ["CANCELING", "CANCELED"]
    stage = koyeb_fake.deployment(new)["provisioning_info"]["stages"][0]
    assert stage["status"] == "ABORTED"
    assert koyeb_fake.service()["active_deployment_id"] == active


def test_a_newer_deployment_supersedes_one_in_progress(
    koyeb_fake: FakeKoyeb, api: httpx.Client
) -> None:
    first = _redeploy(koyeb_fake, api)
    koyeb_fake.clock.advance(10)
    second = _redeploy(koyeb_fake, api)
    assert koyeb_fake.deployment(first)["status"] == "CANCELING"
    koyeb_fake.clock.advance(400)
    assert koyeb_fake.deployment(first)["status"] == "CANCELED"
    assert koyeb_fake.service()["active_deployment_id"] == second
