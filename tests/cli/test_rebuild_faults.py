"""`cachebust rebuild` against every redeploy fault, before and after the fake acts, with
the fake's clock ahead of this machine's and behind it.

The invariant, in every case: a run that exits 0 created exactly one new deployment and
printed its id; a run that fails created none, or says it cannot tell; no run ever
created two. (A late answer needs the client's 30 s timeout to run out over a real
socket; tests/client/test_redeploy.py covers it through the in-process transport.)
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from tests.cli.conftest import SPEED, Cli
from tests.faults import FAULTS as ALL_FAULTS
from tests.faults import REDEPLOY, SKEWS

from cachebust._client import Client
from cachebust._errors import ExitCode
from cachebust.fake import FakeClock, FakeKoyeb, FakeServer

#: A late answer needs the client's 30 s timeout to run out over a real socket.
FAULTS = {name: fault for name, fault in ALL_FAULTS.items() if name != "late"}
_CREATED = re.compile(r"^Deployment (?P<id>[0-9a-f-]{36}) created\.$", re.MULTILINE)


@pytest.fixture(params=list(SKEWS))
def skewed(
    request: pytest.FixtureRequest, repo_root: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Cli]:
    monkeypatch.chdir(repo_root)
    start = datetime.now(UTC).replace(microsecond=0) + SKEWS[request.param]
    fake = FakeKoyeb(clock=FakeClock(start))
    with FakeServer(fake, speed=SPEED) as server:
        yield Cli(
            fake,
            {
                "KOYEB_URL": server.url,
                "KOYEB_TOKEN": fake.token,
                "HOME": str(tmp_path),
                "NO_COLOR": "1",
                "CACHEBUST_SPEED": str(SPEED),
            },
        )
    assert not fake.contract_violations, fake.contract_violations


def _ids(fake: FakeKoyeb) -> set[str]:
    with Client(fake.token, transport=fake.transport, base_url="http://127.0.0.1:9") as client:
        return {d.id for d in client.list_deployments(fake.service_id)}


def _rebuild(cli: Cli, *args: str) -> tuple[int, str, set[str]]:
    before = _ids(cli.fake)
    result = cli("rebuild", *args)
    return result.exit_code, result.stdout + result.stderr, _ids(cli.fake) - before


def _holds(code: int, output: str, created: set[str]) -> None:
    assert len(created) <= 1, f"two deployments from one rebuild:\n{output}"
    if code == ExitCode.OK:
        printed = _CREATED.findall(output)
        assert printed == list(created) and len(created) == 1, output
    else:
        assert not created or "may or may not have started" in output, output


@pytest.mark.parametrize("act", [False, True], ids=["before-acting", "after-acting"])
@pytest.mark.parametrize("fault", list(FAULTS))
def test_one_fault_still_creates_exactly_one(skewed: Cli, fault: str, act: bool) -> None:
    skewed.fake.inject("POST", REDEPLOY, act=act, **FAULTS[fault])
    code, output, created = _rebuild(skewed, "--no-wait")
    _holds(code, output, created)
    assert code == ExitCode.OK, output


@pytest.mark.parametrize("fault", list(FAULTS))
def test_failing_every_time_before_acting_reports_no_phantom(skewed: Cli, fault: str) -> None:
    # The bug this guards: an earlier deployment, minutes old, adopted as the result.
    code, output, created = _rebuild(skewed, "--no-wait")
    assert code == ExitCode.OK and len(created) == 1
    skewed.fake.inject("POST", REDEPLOY, act=False, times=10, **FAULTS[fault])
    code, output, created = _rebuild(skewed)
    _holds(code, output, created)
    assert code == ExitCode.API and not created
    assert "created." not in output
    assert "Koyeb created no deployment" in output


def test_a_malformed_answer_after_acting_is_followed_to_healthy(skewed: Cli) -> None:
    skewed.fake.inject("POST", REDEPLOY, malformed=True)
    code, output, created = _rebuild(skewed)
    _holds(code, output, created)
    healthy = output.splitlines()[-2]  # the cache verdict follows
    assert code == ExitCode.OK and healthy.endswith(f"is HEALTHY on deployment {created.pop()}.")
