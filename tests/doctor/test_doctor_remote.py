"""The Koyeb checks of `cachebust doctor`, against the fake Koyeb API (in-process)."""

from __future__ import annotations

from pathlib import Path

import pytest
from doctor_repos import PYPROJECT, make_repo
from tests.git_checkout import commit, init

from cachebust._client import Client
from cachebust._config import load
from cachebust._doctor import Check, Report, Status, diagnose
from cachebust.fake import FakeKoyeb


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    # A git checkout, whose HEAD the fake's deployments run.
    return init(make_repo(tmp_path / "repo"))


@pytest.fixture
def fake(repo: Path) -> FakeKoyeb:
    return FakeKoyeb(settings=load(repo))


def doctor(repo: Path, fake: FakeKoyeb, tmp_path: Path, token: str | None = None) -> Report:
    environ = {"HOME": str(tmp_path)}  # no $HOME/.koyeb.yaml
    if token is not None:
        environ["KOYEB_TOKEN"] = token
    return diagnose(repo, environ=environ, transport=fake.transport, clock=fake.clock)


def remote(report: Report) -> dict[str, Check]:
    return {c.id: c for c in report.checks if c.id.startswith("remote.")}


def test_a_healthy_uncached_service_passes(repo: Path, fake: FakeKoyeb, tmp_path: Path) -> None:
    report = doctor(repo, fake, tmp_path, fake.token)
    checks = remote(report)
    assert list(checks) == [
        "remote.token",
        "remote.service",
        "remote.deployment",
        "remote.commit",
        "remote.build-cache",
    ]
    assert all(c.status is Status.PASS for c in checks.values()), report.lines()
    assert report.ok
    assert fake.service_id in checks["remote.service"].message
    assert "HEALTHY" in checks["remote.deployment"].message
    assert "without the cache" in checks["remote.build-cache"].message
    assert "inferred from its build log" in checks["remote.build-cache"].message
    token_checks = [
        e for e in fake.journal if e.path == "/v1/apps" and e.query.get("limit") == ["1"]
    ]
    assert token_checks, "the token is checked with GET /v1/apps?limit=1"


def test_a_missing_token_fails_with_how_to_set_it(
    repo: Path, fake: FakeKoyeb, tmp_path: Path
) -> None:
    report = doctor(repo, fake, tmp_path)
    check = remote(report)["remote.token"]
    assert check.status is Status.FAIL and not report.ok
    assert "KOYEB_TOKEN" in check.message and "KOYEB_TOKEN" in check.fix
    assert len(remote(report)) == 1


def test_a_rejected_token_fails_and_is_never_shown(
    repo: Path, fake: FakeKoyeb, tmp_path: Path
) -> None:
    secret = "not-the-token-0123456789"
    report = doctor(repo, fake, tmp_path, secret)
    check = remote(report)["remote.token"]
    assert check.status is Status.FAIL and "401" in check.message
    assert secret not in "\n".join(report.lines()) + report.to_json()


def test_an_unknown_service_fails(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "repo")
    fake = FakeKoyeb(settings=load(repo))
    (repo / "pyproject.toml").write_text(PYPROJECT.replace('service = "web"', 'service = "nope"'))
    check = remote(doctor(repo, fake, tmp_path, fake.token))["remote.service"]
    assert check.status is Status.FAIL and "nope" in check.message


def test_a_build_from_the_cache_warns_and_says_it_is_inferred(
    repo: Path, fake: FakeKoyeb, tmp_path: Path
) -> None:
    with Client(fake.token, transport=fake.transport, clock=fake.clock) as client:
        client.redeploy(fake.service_id, use_cache=True)
    fake.clock.advance(600)
    check = remote(doctor(repo, fake, tmp_path, fake.token))["remote.build-cache"]
    assert check.status is Status.WARN
    assert "steps from the cache" in check.message and "inferred" in check.message
    assert "cachebust rebuild" in check.fix


def test_a_skip_build_deployment_is_judged_by_the_build_it_reused(
    repo: Path, fake: FakeKoyeb, tmp_path: Path
) -> None:
    with Client(fake.token, transport=fake.transport, clock=fake.clock) as client:
        built = client.redeploy(fake.service_id, use_cache=True)
        client.wait(built.id)
        # Long after that build: its log lines are far older than the new deployment.
        fake.clock.advance(3600)
        skipped = client.redeploy(fake.service_id, skip_build=True)
        client.wait(skipped.id)
    check = remote(doctor(repo, fake, tmp_path, fake.token))["remote.build-cache"]
    assert check.status is Status.WARN, check.message
    assert f"the image of {built.id[:8]}, reused" in check.message
    assert "steps from the cache" in check.message


def test_a_failed_deployment_fails(repo: Path, fake: FakeKoyeb, tmp_path: Path) -> None:
    fake.next_deployment_outcome("error")
    with Client(fake.token, transport=fake.transport, clock=fake.clock) as client:
        client.redeploy(fake.service_id)
    fake.clock.advance(600)
    report = doctor(repo, fake, tmp_path, fake.token)
    check = remote(report)["remote.deployment"]
    assert check.status is Status.FAIL and "ERROR" in check.message and not report.ok
    assert "cachebust logs --type build" in check.fix


def test_a_deployment_in_progress_warns(repo: Path, fake: FakeKoyeb, tmp_path: Path) -> None:
    with Client(fake.token, transport=fake.transport, clock=fake.clock) as client:
        deployment = client.redeploy(fake.service_id)
    fake.clock.advance(20)
    check = remote(doctor(repo, fake, tmp_path, fake.token))["remote.deployment"]
    assert check.status is Status.WARN and "in progress" in check.message
    assert f"cachebust watch {deployment.id}" in check.fix


def test_a_commit_the_service_does_not_run_warns(
    repo: Path, fake: FakeKoyeb, tmp_path: Path
) -> None:
    ran = remote(doctor(repo, fake, tmp_path, fake.token))["remote.commit"]
    assert ran.status is Status.PASS and ran.message.startswith("Running your commit: ")
    commit(repo, "A change Koyeb has not built")
    check = remote(doctor(repo, fake, tmp_path, fake.token))["remote.commit"]
    assert check.status is Status.WARN
    assert check.message.startswith("1 commit behind: Koyeb runs "), check.message
    assert "cachebust rebuild" in check.fix


def test_outside_a_git_checkout_the_commit_cannot_be_compared(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "plain")
    fake = FakeKoyeb(settings=load(repo))
    check = remote(doctor(repo, fake, tmp_path, fake.token))["remote.commit"]
    assert check.status is Status.WARN and "not a git checkout" in check.message


def test_offline_makes_no_request(repo: Path, fake: FakeKoyeb, tmp_path: Path) -> None:
    report = diagnose(repo, offline=True, transport=fake.transport)
    assert remote(report) == {} and list(fake.journal) == []
    assert "offline" in report.lines()[-1]
