"""More apps and services: named in the seed or added by a test; the redeploys in flight
the fake counts; a fault for every third matching request."""

from __future__ import annotations

import httpx
import pytest
from click.testing import CliRunner

from cachebust.cli import root
from cachebust.fake import FakeKoyeb


def _names(api: httpx.Client, app_id: str) -> set[str]:
    services = api.get("/v1/services", params={"app_id": app_id}).json()["services"]
    return {service["name"] for service in services}


def _app_id(api: httpx.Client, name: str) -> str:
    (app,) = [a for a in api.get("/v1/apps", params={"name": name}).json()["apps"]]
    return str(app["id"])


@pytest.mark.koyeb_fake(services=["harvestconnect-backend/worker", "billing/web"])
def test_the_seed_names_more_services_in_new_or_existing_apps(
    koyeb_fake: FakeKoyeb, api: httpx.Client
) -> None:
    app = koyeb_fake.settings.app
    assert _names(api, koyeb_fake.app_id) == {koyeb_fake.settings.service, "worker"}
    assert _names(api, _app_id(api, "billing")) == {"web"}
    worker = next(
        s
        for s in api.get("/v1/services", params={"app_id": koyeb_fake.app_id}).json()["services"]
        if s["name"] == "worker"
    )
    assert koyeb_fake.service(worker["id"])["status"] == "HEALTHY"
    # The configured service, its app and deployments keep their ids.
    plain = FakeKoyeb(settings=koyeb_fake.settings)
    assert (plain.app_id, plain.service_id) == (koyeb_fake.app_id, koyeb_fake.service_id)
    assert plain.service()["latest_deployment_id"] == koyeb_fake.service()["latest_deployment_id"]
    assert app in {a["name"] for a in api.get("/v1/apps").json()["apps"]}


def test_a_test_adds_services(koyeb_fake: FakeKoyeb, api: httpx.Client) -> None:
    service_id = koyeb_fake.add_service("fleet/svc-1")
    assert _names(api, _app_id(api, "fleet")) == {"svc-1"}
    assert koyeb_fake.service(service_id)["status"] == "HEALTHY"
    deployments = api.get("/v1/deployments", params={"service_id": service_id}).json()
    assert deployments["count"] == 1
    with pytest.raises(ValueError, match="exists already"):
        koyeb_fake.add_service("fleet/svc-1")
    with pytest.raises(ValueError, match="APP/SERVICE"):
        koyeb_fake.add_service("fleet")


def test_redeploys_in_flight_are_counted_until_their_deployments_end(
    koyeb_fake: FakeKoyeb, api: httpx.Client
) -> None:
    ids = [koyeb_fake.add_service(f"fleet/svc-{n}") for n in range(3)]
    assert koyeb_fake.redeploys_in_flight_peak == 0
    for service_id in ids[:2]:
        assert api.post(f"/v1/services/{service_id}/redeploy", json={}).status_code == 200
    assert koyeb_fake.redeploys_in_flight_peak == 2
    koyeb_fake.clock.advance(3600)  # both end HEALTHY
    assert api.post(f"/v1/services/{ids[2]}/redeploy", json={}).status_code == 200
    assert koyeb_fake.redeploys_in_flight_peak == 2
    # A second redeploy of one service supersedes the first: still one in flight for it.
    assert api.post(f"/v1/services/{ids[2]}/redeploy", json={}).status_code == 200
    assert koyeb_fake.redeploys_in_flight_peak == 2


def test_a_fault_for_every_third_matching_request(koyeb_fake: FakeKoyeb, api: httpx.Client) -> None:
    koyeb_fake.inject("GET", "/v1/apps", status=429, every=3, times=2)
    statuses = [api.get("/v1/apps").status_code for _ in range(8)]
    assert statuses == [200, 200, 429, 200, 200, 429, 200, 200]
    assert koyeb_fake.faults == []


def test_fake_api_refuses_a_malformed_service(tmp_path: object) -> None:
    result = CliRunner().invoke(root, ["fake-api", "--service", "no-slash"])
    assert result.exit_code == 2
    assert "'no-slash' is not APP/SERVICE." in result.output
