"""`cachebust contract`'s probe against the fake Koyeb API, in-process on the fake's clock.

Against the fake as it is, every assumption holds or cannot be observed. Against the
fake with any one switch flipped, the probe fails and names exactly that assumption:
so each switch is one a real account can settle, and the probe sees it.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from cachebust._client import Client
from cachebust._contract import FACT_ANCHORS, ContractReport, check_contract
from cachebust.cli import root
from cachebust.fake import FakeKoyeb
from cachebust.fake._assumptions import ASSUMPTIONS, BY_NAME

#: Never contacted: requests go to the fake's transport.
NOWHERE = "http://127.0.0.1:9"


def _probe(fake: FakeKoyeb, *, redeploy: bool = False) -> ContractReport:
    with Client(fake.token, base_url=NOWHERE, transport=fake.transport, clock=fake.clock) as c:
        target = fake.settings.target
        report = check_contract(c, target=target, redeploy=target if redeploy else None)
    assert not fake.contract_violations, fake.contract_violations
    return report


def _listed_switches() -> Iterator[tuple[str, str, str]]:
    """(name, value, anchor) for every non-default value `fake-api --list-assumptions`
    prints; a starred value is the default."""
    result = CliRunner().invoke(root, ["fake-api", "--list-assumptions"])
    assert result.exit_code == 0, result.output
    for line in result.stdout.splitlines():
        name, *values, anchor = line.split()
        assert anchor == f"assume-{name}"
        for value in values:
            if not value.endswith("*"):
                yield name, value, anchor


@pytest.mark.parametrize("redeploy", [False, True], ids=["read-only", "redeploy"])
def test_the_fake_as_it_is_passes(repo_root: Path, redeploy: bool) -> None:
    report = _probe(FakeKoyeb(), redeploy=redeploy)
    assert report.ok, "\n".join(report.lines())
    anchors = [f.anchor for f in report.findings]
    assert anchors == [a.anchor for a in ASSUMPTIONS] + list(FACT_ANCHORS)
    verdicts = {f.anchor: f.verdict for f in report.findings}
    assert set(verdicts.values()) <= {"holds", "not observable"}
    # The probe sees every switch it is meant to: read-only ones always, the lifecycle
    # ones with the redeploy.
    for assumption in ASSUMPTIONS:
        if assumption.switch and (redeploy or assumption.observable == "read-only"):
            assert verdicts[assumption.anchor] == "holds", assumption.name
        if assumption.observable == "not":
            assert verdicts[assumption.anchor] == "not observable", assumption.name
    if not redeploy:
        assert verdicts["assume-scheduled"] == "not observable"


SWITCHES = list(_listed_switches())


@pytest.mark.parametrize(
    ("name", "value", "anchor"), SWITCHES, ids=[f"{n}={v}" for n, v, _ in SWITCHES]
)
def test_any_one_switch_flipped_fails_and_is_named(
    repo_root: Path, name: str, value: str, anchor: str
) -> None:
    redeploy = BY_NAME[name].observable == "redeploy"
    report = _probe(FakeKoyeb(assumptions={name: value}), redeploy=redeploy)
    assert not report.ok
    differing = [f for f in report.findings if f.verdict == "differs"]
    assert [f.anchor for f in differing] == [anchor], "\n".join(report.lines())
    line = next(line for line in report.lines() if line.startswith(anchor))
    assert " differs: " in line


def test_every_switch_is_walked() -> None:
    walked = {name for name, _, _ in _listed_switches()}
    assert walked == {a.name for a in ASSUMPTIONS if a.switch}
    assert len(walked) >= 11


def test_a_push_built_without_the_cache_is_seen_on_a_later_push(repo_root: Path) -> None:
    fake = FakeKoyeb(assumptions={"push-uses-cache": "no"})
    fake.push()
    fake.clock.advance(600)
    report = _probe(fake)
    finding = next(f for f in report.findings if f.anchor == "assume-push-uses-cache")
    assert finding.detail == "2 of 2 push builds used no cache"


def test_without_a_push_the_cache_of_pushes_is_not_observable(repo_root: Path) -> None:
    fake = FakeKoyeb()
    fake._store.deployments = {  # a history without the seeded push
        i: d for i, d in fake._store.deployments.items() if d.trigger is None
    }
    report = _probe(fake)
    verdicts = {f.anchor: (f.verdict, f.detail) for f in report.findings}
    assert verdicts["assume-push-uses-cache"][0] == "not observable"
    assert "no push-created deployment" in verdicts["assume-push-uses-cache"][1]
    assert verdicts["api-git-sha"][0] == "not observable"
