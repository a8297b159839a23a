"""Waiting for a deployment, on the fake's clock: outcomes, timeout, request economy."""

from __future__ import annotations

from typing import Any

import pytest

from cachebust._client import Client
from cachebust._errors import DeploymentFailed, ExitCode, WaitTimedOut
from cachebust._logs import build_logs_deployment, read_logs
from cachebust._watch import FAILURE, SUCCESS, FixedInterval, watch_deployment
from cachebust.fake import FakeKoyeb


def test_statuses_the_official_cli_gets_wrong_keep_the_wait_going() -> None:
    for status in ("", "PENDING", "SCHEDULED", "CANCELING", "STOPPING"):
        assert status not in SUCCESS | FAILURE
    assert sorted(SUCCESS) == ["HEALTHY", "SLEEPING"]
    # The official CLI stops on STASHED as a success; a stashed deployment does not run, so
    # a watch ends on it as on STOPPED (contract: assume-previous-deployment-end).
    assert sorted(FAILURE) == [
        "CANCELED",
        "DEGRADED",
        "ERROR",
        "ERRORING",
        "STASHED",
        "STOPPED",
        "UNHEALTHY",
    ]


def test_waits_through_scheduled_to_healthy(fake: FakeKoyeb, client: Client) -> None:
    deployment = client.redeploy(fake.service_id)
    lines = [c.line() for c in client.watch(deployment.id)]
    assert lines == [
        "PENDING",
        "PROVISIONING (stage build: RUNNING)",
        "SCHEDULED (stage build: COMPLETED)",
        "ALLOCATING",
        "STARTING",
        "HEALTHY",
    ]
    assert client.wait(deployment.id).status == "HEALTHY"  # already over: one request


def test_failed_build_names_the_build_logs_command(fake: FakeKoyeb, client: Client) -> None:
    fake.next_deployment_outcome("error")
    deployment = client.redeploy(fake.service_id)
    seen: list[str] = []
    with pytest.raises(DeploymentFailed) as caught:
        for change in client.watch(deployment.id):
            seen.append(change.status)
    error = caught.value
    assert seen[-1] == "ERROR" and error.status == "ERROR"
    assert error.exit_code == ExitCode.DEPLOYMENT_FAILED
    command = f"cachebust logs {fake.service_id} --type build --deployment {deployment.id}"
    assert command in error.fix and "--type runtime" not in error.fix


def test_unhealthy_after_a_good_build_also_names_the_runtime_logs(
    fake: FakeKoyeb, client: Client
) -> None:
    fake.next_deployment_outcome("unhealthy")
    deployment = client.redeploy(fake.service_id)
    with pytest.raises(DeploymentFailed) as caught:
        list(watch_deployment(client, deployment.id, target="app/svc"))
    assert caught.value.status == "UNHEALTHY"
    assert f"cachebust logs app/svc --type runtime --deployment {deployment.id}" in caught.value.fix


def test_stuck_deployment_times_out_on_the_clock(fake: FakeKoyeb, client: Client) -> None:
    fake.next_deployment_outcome("stuck")
    deployment = client.redeploy(fake.service_id)
    start = fake.clock.monotonic()
    with pytest.raises(WaitTimedOut) as caught:
        client.wait(deployment.id, timeout=600)
    assert fake.clock.monotonic() - start == pytest.approx(600, abs=1)
    error = caught.value
    assert error.exit_code == ExitCode.TIMED_OUT and error.status == "PROVISIONING"
    assert error.what == f"Deployment {deployment.id} is still PROVISIONING after 10m00s."
    assert f"cachebust watch {deployment.id}" in error.fix


def _healthy_at(fake: FakeKoyeb, deployment_id: str) -> float:
    """Seconds after creation at which the fake made the deployment HEALTHY."""
    record = fake.deployment(deployment_id)
    from cachebust._models import parse_time

    created, healthy = parse_time(record["created_at"]), parse_time(record["succeeded_at"])
    assert created is not None and healthy is not None
    return (healthy - created).total_seconds()


def test_adaptive_polling_asks_less_than_every_two_seconds(fake: FakeKoyeb) -> None:
    counts, delays = [], []
    for interval in (None, FixedInterval(2.0)):
        one = FakeKoyeb()
        client = Client(
            one.token, base_url="http://127.0.0.1:9", transport=one.transport, clock=one.clock
        )
        deployment = client.redeploy(one.service_id)
        changes = list(watch_deployment(client, deployment.id, interval=interval))
        counts.append(changes[-1].polls)
        delays.append(changes[-1].elapsed - _healthy_at(one, deployment.id))
    adaptive, fixed = counts
    assert adaptive < fixed / 2
    assert 0 <= delays[0] <= 3


def test_build_logs_deployment_follows_skip_build(fake: FakeKoyeb, client: Client) -> None:
    built = client.redeploy(fake.service_id)
    client.wait(built.id)
    skipped = client.redeploy(fake.service_id, skip_build=True)
    client.wait(skipped.id)
    service = client.get_service(fake.service_id)
    assert service.latest_deployment_id == skipped.id
    newest = client.newest_deployment(service)
    assert build_logs_deployment(client, service, newest).id == built.id


def test_following_build_logs_stops_with_the_build(fake: FakeKoyeb, client: Client) -> None:
    deployment = client.redeploy(fake.service_id)
    fake.clock.advance(30)  # mid-build: part of the log is written

    def build_over() -> bool:
        return client.get_deployment(deployment.id).build_over

    def read(**options: Any) -> list[str]:
        return [
            entry.msg
            for entry in read_logs(
                client,
                type="build",
                deployment_id=deployment.id,
                start=deployment.created_at,
                **options,
            )
        ]

    followed = read(follow=True, until=build_over)
    once = read()
    assert followed == once and once[-1].startswith("#11 DONE")
