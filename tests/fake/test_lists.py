"""List endpoints: filters, pagination (`count`, `has_next`), ordering, query parsing."""

from __future__ import annotations

import httpx
import pytest

from cachebust.fake import FakeKoyeb


def test_seeded_deployments_page_one_by_one_newest_first(
    koyeb_fake: FakeKoyeb, api: httpx.Client
) -> None:
    pages = []
    for offset in range(4):
        reply = api.get(
            "/v1/deployments",
            params={"service_id": koyeb_fake.service_id, "limit": 1, "offset": offset},
        ).json()
        assert (reply["limit"], reply["offset"], reply["count"]) == (1, offset, 3)
        assert reply["has_next"] is (offset < 2)
        pages.append(reply["deployments"])
    assert [len(page) for page in pages] == [1, 1, 1, 0]
    items = [page[0] for page in pages[:3]]
    assert [item["status"] for item in items] == ["HEALTHY", "STOPPED", "STOPPED"]
    assert items[0]["id"] == koyeb_fake.service()["active_deployment_id"]
    assert [i["created_at"] for i in items] == sorted(
        (i["created_at"] for i in items), reverse=True
    )
    for item in items:
        git = item["definition"]["git"]
        assert f"{git['workdir']}/{git['docker']['dockerfile']}" == koyeb_fake.settings.dockerfile
        assert "skip_build" not in item and "role" not in item  # DeploymentListItem lacks them


def test_statuses_filter_repeats_its_key(koyeb_fake: FakeKoyeb, api: httpx.Client) -> None:
    query = [("service_id", koyeb_fake.service_id), ("statuses", "HEALTHY")]
    assert api.get("/v1/deployments", params=query).json()["count"] == 1
    query.append(("statuses", "STOPPED"))
    assert api.get("/v1/deployments", params=query).json()["count"] == 3
    bad = api.get("/v1/deployments", params={"statuses": "RUNNING"})
    assert bad.status_code == 400 and bad.json()["fields"][0]["field"] == "statuses"


def test_name_filters_are_not_exact_so_clients_must_check(
    koyeb_fake: FakeKoyeb, api: httpx.Client
) -> None:
    settings = koyeb_fake.settings
    apps = api.get("/v1/apps", params={"name": settings.app}).json()
    assert apps["count"] == 2 and {a["name"] for a in apps["apps"]} >= {settings.app}
    services = api.get("/v1/services", params={"name": settings.service}).json()
    assert services["count"] == 2
    mine = api.get("/v1/services", params={"app_id": koyeb_fake.app_id}).json()
    assert [s["id"] for s in mine["services"]] == [koyeb_fake.service_id]


def test_empty_query_values_count_as_absent(koyeb_fake: FakeKoyeb, api: httpx.Client) -> None:
    everything = api.get("/v1/deployments").json()
    blank = api.get("/v1/deployments?service_id=&app_id=&limit=&offset=&statuses=").json()
    assert blank == everything
    assert everything["count"] == 4 and everything["limit"] == 20


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("limit=abc", "limit"),
        ("limit=101", "limit"),
        ("offset=-1", "offset"),
        ("limit=1&limit=2", "limit"),
    ],
)
def test_bad_paging_values_are_400(api: httpx.Client, query: str, field: str) -> None:
    response = api.get(f"/v1/services?{query}")
    assert response.status_code == 400
    assert response.json()["fields"][0]["field"] == field


def test_services_list_and_get_carry_the_deployment_pointers(
    koyeb_fake: FakeKoyeb, api: httpx.Client
) -> None:
    listed = api.get("/v1/services", params={"app_id": koyeb_fake.app_id}).json()["services"][0]
    full = api.get(f"/v1/services/{koyeb_fake.service_id}").json()["service"]
    assert listed["active_deployment_id"] == full["active_deployment_id"]
    assert full["last_provisioned_deployment_id"] == full["active_deployment_id"]
    assert full["status"] == "HEALTHY" and full["type"] == "WEB"
    assert isinstance(full["version"], str)
    app = api.get(f"/v1/apps/{koyeb_fake.app_id}").json()["app"]
    assert app["name"] == koyeb_fake.settings.app and isinstance(app["version"], str)
