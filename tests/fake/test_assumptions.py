"""The fake's assumptions: the registry, how a fake is told to flip one, and git pushes."""

from __future__ import annotations

import re
from pathlib import Path

import httpx
import pytest

from cachebust.fake import ASSUMPTIONS, FakeKoyeb, UnknownAssumption
from cachebust.fake._assumptions import Assumed, Assumption


def test_the_registry_names_each_assumption_once_with_its_anchor() -> None:
    names = [a.name for a in ASSUMPTIONS]
    assert len(names) == len(set(names))
    for assumption in ASSUMPTIONS:
        assert assumption.anchor == f"assume-{assumption.name}"
        assert assumption.default == assumption.values[0]
        assert assumption.switch == (len(assumption.values) > 1)
        assert assumption.observable in ("read-only", "redeploy", "not")
        for text in (assumption.says, assumption.otherwise, assumption.probe, assumption.source):
            assert text.strip().endswith((".", ")")), (assumption.name, text)
            assert "§" not in text  # cites sources by name, not sections of outside notes


def test_a_switch_the_probe_cannot_see_is_refused() -> None:
    with pytest.raises(ValueError, match="must be observable"):
        Assumption("x", ("a", "b"), "S.", "O.", "not", "P.", "S.")


def test_a_fake_takes_known_switches_only() -> None:
    with pytest.raises(UnknownAssumption, match="Unknown assumption"):
        FakeKoyeb(assumptions={"list-ordre": "oldest-first"})
    with pytest.raises(UnknownAssumption, match="Unknown value"):
        FakeKoyeb(assumptions={"list-order": "random"})
    assert Assumed({"has-next": "absent"}).changed() == {"has-next": "absent"}
    with pytest.raises(UnknownAssumption):
        Assumed().holds("has-next", "maybe")  # a typo in the fake's own code fails loudly


@pytest.mark.koyeb_fake(assumptions={"previous-deployment-end": "STASHED"})
def test_the_marker_flips_a_switch(koyeb_fake: FakeKoyeb, api: httpx.Client) -> None:
    listed = api.get("/v1/deployments", params={"service_id": koyeb_fake.service_id}).json()
    assert [d["status"] for d in listed["deployments"]] == ["HEALTHY", "STASHED", "STASHED"]
    info = api.get("/_fake/info").json()
    assert info["assumptions"] == {"previous-deployment-end": "STASHED"}


def test_a_push_starts_a_deployment_that_says_so(koyeb_fake: FakeKoyeb, api: httpx.Client) -> None:
    before = koyeb_fake.service()["latest_deployment_id"]
    pushed = api.post("/_fake/push", json={}).json()["deployment_id"]
    assert pushed != before
    deployment = api.get(f"/v1/deployments/{pushed}").json()["deployment"]
    trigger = deployment["metadata"]["trigger"]
    assert trigger["type"] == "GIT" and trigger["git"]["branch"] == "main"
    # The API sets git.sha on every push-created deployment: the commit pushed.
    assert deployment["definition"]["git"]["sha"] == trigger["git"]["sha"]
    assert deployment["provisioning_info"]["sha"] == trigger["git"]["sha"]
    # Only that deployment names it: the service stays on its branch, unpinned.
    assert "sha" not in koyeb_fake._store.services[koyeb_fake.service_id].definition["git"]
    redeployed = api.post(f"/v1/services/{koyeb_fake.service_id}/redeploy", json={}).json()
    assert "trigger" not in redeployed["deployment"]["metadata"]
    assert "sha" not in redeployed["deployment"]["definition"]["git"]


def test_a_push_to_a_service_that_does_not_deploy_on_push(koyeb_fake: FakeKoyeb) -> None:
    koyeb_fake._store.services[koyeb_fake.service_id].definition["git"]["no_deploy_on_push"] = True
    before = koyeb_fake.service()["latest_deployment_id"]
    assert koyeb_fake.push() is None
    assert koyeb_fake.service()["latest_deployment_id"] == before


def test_every_assumption_the_code_cites_is_in_the_registry(repo_root: Path) -> None:
    anchors = {a.anchor for a in ASSUMPTIONS}
    cited: set[str] = set()
    for path in (repo_root / "src").rglob("*.py"):
        cited |= set(re.findall(r"\bassume-[a-z0-9]+(?:-[a-z0-9]+)*", path.read_text("utf-8")))
    assert cited - anchors == set()
    # The fake's switches are each cited where the fake applies them.
    assert {a.anchor for a in ASSUMPTIONS if a.switch} <= cited
