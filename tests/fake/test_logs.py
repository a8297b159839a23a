"""GET /v1/streams/logs/query: its parameter rules and its time-window pagination."""

from __future__ import annotations

from datetime import datetime

import httpx
import pytest

from cachebust.fake import FakeKoyeb

LOGS = "/v1/streams/logs/query"
EPOCH = "2000-01-01T00:00:00Z"


@pytest.fixture
def built(koyeb_fake: FakeKoyeb, api: httpx.Client) -> str:
    """A deployment whose uncached build and start-up are over."""
    reply = api.post(f"/v1/services/{koyeb_fake.service_id}/redeploy", json={})
    koyeb_fake.clock.advance(400)
    deployment_id: str = reply.json()["deployment"]["id"]
    return deployment_id


def _pages(api: httpx.Client, **query: str | int) -> tuple[list[str], int]:
    lines: list[str] = []
    pages = 0
    while True:
        reply = api.get(LOGS, params=query).json()
        pages += 1
        lines += [entry["created_at"] + " " + entry["msg"] for entry in reply["data"]]
        pagination = reply["pagination"]
        assert isinstance(pagination["has_more"], bool)
        if not pagination["has_more"]:
            return lines, pages
        query = {**query, "start": pagination["next_start"], "end": pagination["next_end"]}


@pytest.mark.parametrize("order", ["asc", "desc"])
def test_paging_by_time_window_returns_every_line_once(
    api: httpx.Client, built: str, order: str
) -> None:
    every = api.get(
        LOGS, params={"type": "build", "deployment_id": built, "start": EPOCH, "order": order}
    ).json()["data"]
    assert len(every) > 20
    lines, pages = _pages(api, type="build", deployment_id=built, start=EPOCH, order=order, limit=7)
    assert pages == -(-len(every) // 7)
    assert lines == [entry["created_at"] + " " + entry["msg"] for entry in every]
    times = [datetime.fromisoformat(line.split(" ")[0]) for line in lines]
    assert times == sorted(times, reverse=order == "desc")


def test_defaults_runtime_type_desc_order_and_last_15_minutes(
    koyeb_fake: FakeKoyeb, api: httpx.Client, built: str
) -> None:
    reply = api.get(LOGS, params={"service_id": koyeb_fake.service_id}).json()
    messages = [entry["msg"] for entry in reply["data"]]
    # Newest first: the new instance became healthy, then the old one stopped.
    assert messages[:2] == [
        "Instance stopped.",
        "Instance is healthy. All health checks are passing.",
    ]
    assert {entry["labels"]["type"] for entry in reply["data"]} == {"runtime"}
    labels = reply["data"][0]["labels"]
    assert labels["service_id"] == koyeb_fake.service_id and labels["instance_id"]
    koyeb_fake.clock.advance(16 * 60)
    assert api.get(LOGS, params={"service_id": koyeb_fake.service_id}).json()["data"] == []


def test_the_cli_style_query_with_empty_values(
    koyeb_fake: FakeKoyeb, api: httpx.Client, built: str
) -> None:
    query = (
        f"type=build&service_id={koyeb_fake.service_id}&deployment_id={built}"
        f"&instance_id=&regex=&text=&start={EPOCH}&limit=100&order=asc"
    )
    reply = api.get(f"{LOGS}?{query}")
    assert reply.status_code == 200
    assert reply.json()["data"][0]["msg"].startswith("#0 building")


def test_lines_appear_as_time_passes(koyeb_fake: FakeKoyeb, api: httpx.Client) -> None:
    reply = api.post(f"/v1/services/{koyeb_fake.service_id}/redeploy", json={})
    deployment_id = reply.json()["deployment"]["id"]
    query = {"type": "build", "deployment_id": deployment_id, "start": EPOCH, "limit": 1000}
    counts = []
    for _ in range(4):
        counts.append(len(api.get(LOGS, params=query).json()["data"]))
        koyeb_fake.clock.advance(60)
    assert counts[0] == 0 and counts == sorted(counts) and counts[-1] > counts[1]


def test_regex_and_text_filters(api: httpx.Client, built: str) -> None:
    base = {"type": "build", "deployment_id": built, "start": EPOCH}
    by_text = api.get(LOGS, params={**base, "text": "DONE"}).json()["data"]
    by_regex = api.get(LOGS, params={**base, "regex": r"DONE \d+\.\ds$"}).json()["data"]
    assert by_text and by_text == by_regex


@pytest.mark.parametrize(
    ("query", "problem"),
    [
        ({}, "At least one of"),
        ({"service_id": "x", "regex": "a", "text": "b"}, "regex"),
        ({"service_id": "x", "regex": "("}, "regex"),
        (
            {"service_id": "x", "start": "2030-01-01T00:00:00Z", "end": "2029-01-01T00:00:00Z"},
            "start",
        ),
        ({"service_id": "x", "start": "2030-01-01T00:00:00.000000+0000"}, "start"),
        ({"service_id": "x", "start": "yesterday"}, "start"),
        ({"service_id": "x", "limit": "1001"}, "limit"),
        ({"service_id": "x", "order": "up"}, "order"),
        ({"service_id": "x", "type": "deploy"}, "type"),
    ],
)
def test_parameter_rules(api: httpx.Client, query: dict[str, str], problem: str) -> None:
    response = api.get(LOGS, params=query)
    assert response.status_code == 400
    body = response.json()
    assert problem in body["message"] or problem in [f["field"] for f in body.get("fields", [])]


def test_offsets_and_fractions_in_timestamps_are_accepted(
    koyeb_fake: FakeKoyeb, api: httpx.Client, built: str
) -> None:
    query = {"type": "build", "deployment_id": built, "start": "2000-01-01T02:00:00.5+02:00"}
    assert api.get(LOGS, params=query).json()["data"]
