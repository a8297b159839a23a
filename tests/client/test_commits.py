"""Is Koyeb running my commit? Each verdict of `cachebust._commits`, from a real git
checkout (under the test's tmp_path) and the fake Koyeb API in-process."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from tests.doctor.doctor_repos import make_repo
from tests.git_checkout import commit, git, init

from cachebust._client import Client
from cachebust._commits import CommitReport, commit_report
from cachebust._config import load
from cachebust._git import Checkout
from cachebust.fake import FakeKoyeb
from cachebust.fake._seed import local_commits

NOWHERE = "http://127.0.0.1:9"


@dataclass
class Setup:
    """A checkout with commits A, B, C on main, and a fake whose branch head is B."""

    repo: Path
    commits: dict[str, str]
    fake: FakeKoyeb
    client: Client

    def report(self) -> CommitReport:
        client, fake = self.client, self.fake
        service = client.get_service(fake.service_id)
        latest = client.newest_deployment(service)
        active = client.get_deployment(service.active_deployment_id)
        return commit_report(
            client, service, latest, active, Checkout.at(self.repo), fake.settings.target
        )


@pytest.fixture
def setup(tmp_path: Path) -> Iterator[Setup]:
    repo = init(make_repo(tmp_path / "repo"))
    commits = {"A": git(repo, "rev-parse", "HEAD")}
    commits["B"] = commit(repo, "B")
    commits["C"] = commit(repo, "C")
    fake = FakeKoyeb(settings=load(repo), head_sha=commits["B"])
    with Client(fake.token, base_url=NOWHERE, transport=fake.transport, clock=fake.clock) as c:
        yield Setup(repo, commits, fake, c)
    assert not fake.contract_violations


def test_the_fake_seeds_its_deployments_with_the_checkouts_commits(tmp_path: Path) -> None:
    repo = init(make_repo(tmp_path / "repo"))
    parent = git(repo, "rev-parse", "HEAD")
    head = commit(repo, "Second")
    fake = FakeKoyeb(settings=load(repo))
    service = fake.service()
    active = fake.deployment(service["active_deployment_id"])
    assert active["provisioning_info"]["sha"] == head
    first = fake.deployment(fake.deployment(active["parent_id"])["parent_id"])
    assert first["provisioning_info"]["sha"] == parent
    pushed = fake.deployment(active["parent_id"])
    assert pushed["metadata"]["trigger"]["git"]["sha"] == head
    assert pushed["definition"]["git"]["sha"] == head  # set on a push-created deployment
    assert "sha" not in active["definition"]["git"]  # a redeploy pins nothing


def test_outside_a_checkout_the_commits_are_generated(tmp_path: Path) -> None:
    assert local_commits(tmp_path) == []
    sha = "ab" * 20
    assert local_commits(tmp_path, sha) == [sha]
    with pytest.raises(ValueError, match="40 lowercase hex"):
        FakeKoyeb(settings=load(make_repo(tmp_path / "repo")), head_sha="HEAD")


def test_running_the_head_is_up_to_date(setup: Setup) -> None:
    git(setup.repo, "checkout", "--quiet", "--detach", setup.commits["B"])
    report = setup.report()
    assert report.up_to_date is True and report.running == setup.commits["B"]
    assert report.verdict.message == (
        f"running your commit: Koyeb runs {setup.commits['B'][:7]}, your HEAD."
    )


def test_a_running_descendant_of_head_is_up_to_date(setup: Setup) -> None:
    git(setup.repo, "checkout", "--quiet", "--detach", setup.commits["A"])
    report = setup.report()
    assert report.verdict.kind == "ahead" and report.up_to_date is True
    assert "and 1 commit after it" in report.verdict.message


def test_behind_counts_the_commits_and_says_push_when_the_branch_lacks_them(
    setup: Setup,
) -> None:
    report = setup.report()
    assert report.verdict.kind == "behind" and report.up_to_date is False
    assert report.behind == 1 and report.local is not None
    b, c = setup.commits["B"][:7], setup.commits["C"][:7]
    assert report.verdict.message == f"1 commit behind: Koyeb runs {b}, your HEAD is {c}."
    assert report.verdict.fix.startswith("Push them to main;")
    # The local copy of the branch has HEAD: the push happened, yet it does not run.
    git(setup.repo, "update-ref", "refs/remotes/origin/main", setup.commits["C"])
    pushed = setup.report()
    assert pushed.local is not None and pushed.local.tracking == setup.commits["C"]
    assert pushed.verdict.fix.startswith("Your HEAD is on origin/main already")


def test_another_branch(setup: Setup) -> None:
    git(setup.repo, "checkout", "--quiet", "-b", "feature")
    report = setup.report()
    assert report.verdict.kind == "other-branch" and report.up_to_date is False
    assert report.verdict.message.startswith(
        "the service builds another branch: main, while your checkout is on feature"
    )


def test_a_commit_the_checkout_lacks(setup: Setup) -> None:
    unknown = "f" * 40
    setup.fake.push(sha=unknown)
    setup.client.wait(setup.fake.service()["latest_deployment_id"])
    report = setup.report()
    assert report.running == unknown and report.verdict.kind == "not-fetched"
    assert "git fetch origin main" in report.verdict.fix


def test_diverged_histories(setup: Setup) -> None:
    git(setup.repo, "checkout", "--quiet", "--detach", setup.commits["A"])
    commit(setup.repo, "D, on another line")
    assert setup.report().verdict.kind == "diverged"


def test_a_newer_deployment_still_building(setup: Setup) -> None:
    setup.fake.next_deployment_outcome("stuck")
    building = setup.client.redeploy(setup.fake.service_id)
    setup.fake.clock.advance(10)
    report = setup.report()
    assert report.verdict.kind == "building" and report.up_to_date is False
    assert report.verdict.message.startswith(
        f"a newer deployment is still building: {building.id[:8]} (PROVISIONING)"
    )
    assert f"cachebust watch {building.id}" in report.verdict.fix


def test_the_newest_deployment_failed(setup: Setup) -> None:
    setup.fake.next_deployment_outcome("error")
    failed = setup.client.redeploy(setup.fake.service_id)
    setup.fake.clock.advance(600)
    report = setup.report()
    assert report.verdict.kind == "failed"
    assert f"{failed.id[:8]} ({setup.commits['B'][:7]}) ended ERROR" in report.verdict.message
    assert "--type build" in report.verdict.fix


def test_a_skipped_build_runs_the_image_of_the_last_build(setup: Setup) -> None:
    built = setup.fake.service()["last_provisioned_deployment_id"]
    skipped = setup.client.redeploy(setup.fake.service_id, skip_build=True)
    setup.client.wait(skipped.id)
    report = setup.report()
    assert report.verdict.kind == "skipped-build"
    assert report.image is not None and report.image.id == built
    assert report.verdict.message == (
        f"the latest build was skipped (skip_build): {skipped.id[:8]} runs the image "
        f"{built[:8]} built from {setup.commits['B'][:7]}."
    )


def test_a_pinned_commit(setup: Setup) -> None:
    fake = setup.fake
    definition = fake.deployment(fake.service()["latest_deployment_id"])["definition"]
    definition["git"]["sha"] = setup.commits["A"]  # what `--git-sha` stores
    with httpx.Client(
        transport=fake.transport,
        base_url=NOWHERE,
        headers={"Authorization": f"Bearer {fake.token}"},
    ) as api:
        api.put(f"/v1/services/{fake.service_id}", json={"definition": definition})
    setup.client.wait(fake.service()["latest_deployment_id"])
    report = setup.report()
    assert report.running == setup.commits["A"] and report.verdict.kind == "pinned"
    assert report.verdict.message == (
        f"pinned to a commit by `--git-sha`: the service builds {setup.commits['A'][:7]}, "
        "not the newest commit of main."
    )
    assert f"koyeb service update {fake.settings.target} --git-sha ''" in report.verdict.fix


def test_outside_a_checkout_it_cannot_tell(setup: Setup) -> None:
    client, fake = setup.client, setup.fake
    service = client.get_service(fake.service_id)
    latest = client.newest_deployment(service)
    report = commit_report(client, service, latest, latest, None, fake.settings.target)
    assert report.verdict.kind == "no-checkout" and report.up_to_date is None
    assert report.to_json()["local_commit"] is None


def test_no_deployment_yet(setup: Setup) -> None:
    service = setup.client.get_service(setup.fake.service_id)
    report = commit_report(setup.client, service, None, None, Checkout.at(setup.repo), "a/s")
    assert report.verdict.kind == "no-deployment" and report.running is None
    assert report.up_to_date is False
