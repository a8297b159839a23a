"""A redeploy takes effect at most once: every fault, before and after the fake acts,
under both clock skews.

The invariant each case checks: a redeploy that returns created exactly one new
deployment and returned it; one that raises created none, or says it cannot tell;
none ever created two.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime

import pytest
from tests.faults import FAULTS, REDEPLOY, SKEWS

from cachebust._client import Client
from cachebust._errors import (
    ExitCode,
    NetworkError,
    RedeployUnknown,
    ServerError,
)
from cachebust.fake import FakeClock, FakeKoyeb

NOWHERE = "http://127.0.0.1:9"


@pytest.fixture(params=list(SKEWS))
def fake(request: pytest.FixtureRequest, repo_root: object) -> Iterator[FakeKoyeb]:
    start = datetime.now(UTC).replace(microsecond=0) + SKEWS[request.param]
    fake = FakeKoyeb(clock=FakeClock(start))
    yield fake
    assert not fake.contract_violations, fake.contract_violations


@pytest.fixture
def client(fake: FakeKoyeb) -> Iterator[Client]:
    # The client's own clock is the real one, as in production: only the fake is skewed.
    # Its sleeps go through the fake's clock so that back-off costs no real time.
    with Client(
        fake.token, base_url=NOWHERE, transport=fake.transport, clock=fake.clock, timeout=10
    ) as c:
        yield c


def _posts(fake: FakeKoyeb) -> list[object]:
    return [e.body for e in fake.journal if e.method == "POST" and e.path.endswith("/redeploy")]


def _ids(client: Client, fake: FakeKoyeb) -> set[str]:
    return {d.id for d in client.list_deployments(fake.service_id)}


def _created(fake: FakeKoyeb, client: Client, run: Callable[[], object]) -> tuple[object, set[str]]:
    before = _ids(client, fake)
    try:
        outcome: object = run()
    except Exception as exc:  # the outcome under test, checked by the caller
        outcome = exc
    return outcome, _ids(client, fake) - before


def test_redeploy_sends_one_uncached_request(fake: FakeKoyeb, client: Client) -> None:
    deployment, created = _created(fake, client, lambda: client.redeploy(fake.service_id))
    assert _posts(fake) == [{"use_cache": False, "skip_build": False}]
    assert created == {deployment.id}  # type: ignore[attr-defined]
    assert client.get_service(fake.service_id).latest_deployment_id == created.pop()


def test_use_cache_is_sent_when_asked(fake: FakeKoyeb, client: Client) -> None:
    client.redeploy(fake.service_id, use_cache=True)
    assert _posts(fake) == [{"use_cache": True, "skip_build": False}]


def test_the_deployments_are_listed_before_the_request(fake: FakeKoyeb, client: Client) -> None:
    client.redeploy(fake.service_id)
    calls = [(e.method, e.path) for e in fake.journal]
    assert calls[0] == ("GET", "/v1/deployments")
    assert calls[-1][0] == "POST"


@pytest.mark.parametrize("fault", list(FAULTS))
def test_a_fault_after_acting_is_settled_by_the_new_deployment(
    fake: FakeKoyeb, client: Client, fault: str
) -> None:
    fake.inject("POST", REDEPLOY, act=True, **FAULTS[fault])
    deployment, created = _created(fake, client, lambda: client.redeploy(fake.service_id))
    assert not isinstance(deployment, Exception), deployment
    assert created == {deployment.id}  # type: ignore[attr-defined]
    assert len(_posts(fake)) == 1


@pytest.mark.parametrize("fault", list(FAULTS))
def test_a_fault_before_acting_is_sent_again_once(
    fake: FakeKoyeb, client: Client, fault: str
) -> None:
    fake.inject("POST", REDEPLOY, act=False, **FAULTS[fault])
    deployment, created = _created(fake, client, lambda: client.redeploy(fake.service_id))
    assert not isinstance(deployment, Exception), deployment
    assert created == {deployment.id}  # type: ignore[attr-defined]
    assert len(_posts(fake)) == 2


@pytest.mark.parametrize("fault", list(FAULTS))
def test_faults_before_acting_every_time_create_nothing_and_say_so(
    fake: FakeKoyeb, client: Client, fault: str
) -> None:
    # An earlier deployment of the service, started moments ago by another command, must
    # not be taken for this one's result (the bug a time window had).
    client.redeploy(fake.service_id)
    fake.inject("POST", REDEPLOY, act=False, times=10, **FAULTS[fault])
    failure, created = _created(fake, client, lambda: client.redeploy(fake.service_id))
    assert isinstance(failure, ServerError | NetworkError), failure
    assert created == set()
    assert "Koyeb created no deployment" in failure.why
    assert failure.exit_code == ExitCode.API


def test_two_new_deployments_leave_it_unknown(fake: FakeKoyeb, client: Client) -> None:
    redeploy = client.start_redeploy(fake.service_id)
    # Another client redeploys in between; then this request is dropped after acting.
    client.redeploy(fake.service_id)
    fake.inject("POST", REDEPLOY, drop=True)
    with pytest.raises(RedeployUnknown) as caught:
        redeploy.send()
    assert "2 deployments appeared" in caught.value.why
    assert f"cachebust status {fake.service_id}" in caught.value.fix
    assert caught.value.exit_code == ExitCode.API


def test_a_redeploy_that_cannot_be_checked_is_not_repeated(fake: FakeKoyeb, client: Client) -> None:
    redeploy = client.start_redeploy(fake.service_id)
    fake.inject("POST", REDEPLOY, drop=True)
    fake.inject("GET", "/v1/deployments", status=500, times=10)
    with pytest.raises(RedeployUnknown) as caught:
        redeploy.send()
    assert "may or may not have started" in caught.value.what
    assert "cachebust watch" in caught.value.fix
    assert len(_posts(fake)) == 1


def test_a_clear_refusal_is_not_checked_or_repeated(fake: FakeKoyeb, client: Client) -> None:
    fake.inject("POST", REDEPLOY, status=409)
    with pytest.raises(ServerError):
        client.redeploy(fake.service_id)
    assert len(_posts(fake)) == 1
    assert [e.path for e in fake.journal].count("/v1/deployments") == 1  # only before


def test_rate_limited_redeploy_is_retried(fake: FakeKoyeb, client: Client) -> None:
    fake.inject("POST", REDEPLOY, status=429, retry_after=2)
    _, created = _created(fake, client, lambda: client.redeploy(fake.service_id))
    assert len(_posts(fake)) == 2 and len(created) == 1
