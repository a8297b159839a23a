"""`cachebust rebuild` of several services: each redeployed exactly once, at most
--parallel in flight, a 429 honoured by all, a table at the end, the worst exit code,
and Ctrl-C naming what goes on."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from tests.cli.conftest import Cli, serving

from cachebust._client import Client
from cachebust._errors import ExitCode, RateLimited
from cachebust.fake import FakeKoyeb, FakeServer

REDEPLOY = "/v1/services/*/redeploy"
APP = "fleet"


@pytest.fixture
def fleet(repo_root: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Cli]:
    """The fake with 20 more services, in the app `fleet`."""
    monkeypatch.chdir(repo_root)
    fake = FakeKoyeb()
    for number in range(20):
        fake.add_service(f"{APP}/svc-{number:02}")
    with serving(fake, tmp_path) as cli:
        yield cli


def _new_deployments(fake: FakeKoyeb, before: set[str]) -> list[str]:
    return [d for d in _deployment_ids(fake) if d not in before]


def _deployment_ids(fake: FakeKoyeb) -> set[str]:
    with Client(fake.token, base_url="http://fake", transport=fake.transport) as client:
        return {
            deployment.id
            for service in client.list_services()
            for deployment in client.list_deployments(service.id)
        }


def _redeploys(fake: FakeKoyeb) -> list[tuple[str, int | None]]:
    return [(e.path, e.status) for e in fake.journal if e.path.endswith("/redeploy")]


def _services_redeployed(fake: FakeKoyeb) -> list[str]:
    """Each service's id once per deployment a redeploy created for it."""
    created = [e for e in fake.journal if e.path.endswith("/redeploy") and e.status == 200]
    return sorted(e.path.split("/")[3] for e in created)


def test_twenty_services_make_exactly_twenty_deployments_four_at_a_time(fleet: Cli) -> None:
    before = _deployment_ids(fleet.fake)
    result = fleet("rebuild", "--app", APP, "--all", "--parallel", "4")
    assert result.exit_code == ExitCode.OK, result.output
    assert len(_new_deployments(fleet.fake, before)) == 20
    assert len(set(_services_redeployed(fleet.fake))) == 20 == len(_redeploys(fleet.fake))
    assert 1 <= fleet.fake.redeploys_in_flight_peak <= 4
    lines = result.stdout.splitlines()
    table = lines[lines.index(next(line for line in lines if line.startswith("SERVICE"))) :]
    assert table[0].split() == ["SERVICE", "DEPLOYMENT", "STATUS", "DURATION", "CACHE"]
    rows = [row.split() for row in table[1:]]
    assert [row[0] for row in rows] == [f"{APP}/svc-{n:02}" for n in range(20)]
    assert {row[2] for row in rows} == {"HEALTHY"} and {row[4] for row in rows} == {"uncached"}
    assert {row[1] for row in rows} == set(_new_deployments(fleet.fake, before))
    # Plain lines name their service.
    assert all(line.startswith(f"{APP}/svc-") for line in lines[: -len(table)])
    assert result.stderr == ""


def test_a_429_on_every_third_redeploy_still_makes_exactly_twenty(fleet: Cli) -> None:
    fleet.fake.inject("POST", REDEPLOY, status=429, retry_after=2, every=3, times=100)
    before = _deployment_ids(fleet.fake)
    result = fleet("rebuild", "--app", APP, "--all", "--parallel", "4")
    assert result.exit_code == ExitCode.OK, result.output
    refused = [path for path, status in _redeploys(fleet.fake) if status == 429]
    assert len(refused) >= 6  # the 3rd, 6th, ... of at least 20 + retries
    assert len(_new_deployments(fleet.fake, before)) == 20
    assert len(_services_redeployed(fleet.fake)) == 20
    assert len(set(_services_redeployed(fleet.fake))) == 20
    assert fleet.fake.redeploys_in_flight_peak <= 4


def test_a_429_pauses_every_request_of_the_client(koyeb_fake: FakeKoyeb) -> None:
    """Shared: after one request meets the limit, the next, of any kind, waits too."""
    for shared, waited in ((False, 0.0), (True, 7.0)):
        koyeb_fake.journal.clear()
        koyeb_fake.inject("POST", REDEPLOY, status=429, retry_after=7)
        client = Client(
            koyeb_fake.token,
            base_url="http://fake",
            transport=koyeb_fake.transport,
            clock=koyeb_fake.clock,
            shared_pause=shared,
        )
        with client:
            with pytest.raises(RateLimited):
                path = f"/v1/services/{koyeb_fake.service_id}/redeploy"
                client.post_json(path, {}, key="deployment", action="redeploy")
            client.get_service(koyeb_fake.service_id)
        refused, read = list(koyeb_fake.journal)
        assert (read.at - refused.at).total_seconds() == waited


def test_the_worst_outcome_sets_the_exit_code(fleet: Cli) -> None:
    fleet.fake.next_deployment_outcome("stuck")
    fleet.fake.next_deployment_outcome("error")
    targets = [f"{APP}/svc-00", f"{APP}/svc-01", f"{APP}/svc-02"]
    # Long enough past the healthy one's 3 simulated minutes that a loaded machine's
    # pause (at the fake's speed, a tenth of a second is half a minute) cannot make it
    # time out too; the stuck one waits all of it.
    result = fleet("rebuild", *targets, "--parallel", "3", "--timeout", "10m")
    # Timed out (6) and failed (5): a failure is the worse.
    assert result.exit_code == ExitCode.DEPLOYMENT_FAILED, result.output
    rows = {row.split()[0]: row.split() for row in result.stdout.splitlines()[-3:]}
    statuses = sorted(row[2] for row in rows.values())
    assert statuses[0] in ("ERROR", "ERRORING") and statuses[1:] == ["HEALTHY", "PROVISIONING"]
    assert "still PROVISIONING after 10m00s" in result.stderr
    assert result.stderr.count(": Error: Deployment ") == 2
    assert result.stderr.splitlines()[-3].startswith("Error: 2 of 3 rebuilds did not end as hoped")


def test_json_events_carry_their_target(fleet: Cli) -> None:
    targets = [f"{APP}/svc-00", f"{APP}/svc-01"]
    result = fleet("rebuild", *targets, "--json")
    assert result.exit_code == ExitCode.OK, result.output
    events = [json.loads(line) for line in result.stdout.splitlines()]
    assert all(event["target"] in targets for event in events)
    kinds = {event["event"] for event in events}
    assert {"redeploy", "created", "status", "done", "cache", "result"} <= kinds
    results = [event for event in events if event["event"] == "result"]
    assert [(r["target"], r["status"], r["exit_code"]) for r in results] == [
        (targets[0], "HEALTHY", 0),
        (targets[1], "HEALTHY", 0),
    ]


def test_a_service_named_twice_is_redeployed_once(fleet: Cli) -> None:
    with Client(fleet.fake.token, base_url="http://fake", transport=fleet.fake.transport) as c:
        service_id = c.resolve_service(f"{APP}/svc-03").service_id
    result = fleet("rebuild", f"{APP}/svc-03", service_id, f"{APP}/svc-03", "--no-wait")
    assert result.exit_code == ExitCode.OK, result.output
    assert _services_redeployed(fleet.fake) == [service_id]


@pytest.mark.parametrize(
    ("args", "what"),
    [
        (["--app", APP], "--app and --all go together."),
        (["--all"], "--app and --all go together."),
        (["--app", APP, "--all", f"{APP}/svc-00"], "--all takes no APP/SERVICE arguments."),
        ([f"{APP}/svc-00", f"{APP}/svc-01", "--logs"], "--logs works on one service only."),
        ([f"{APP}/svc-00", f"{APP}/svc-01", "--dry-run"], "--dry-run works on one service only."),
        ([f"{APP}/svc-00", "nope"], "Invalid service name 'nope'."),
    ],
)
def test_bad_combinations_are_refused_before_any_request(
    fleet: Cli, args: list[str], what: str
) -> None:
    result = fleet("rebuild", *args)
    assert result.exit_code == ExitCode.USAGE
    assert result.stderr.splitlines()[0] == f"Error: {what}"
    assert not list(fleet.fake.journal)


def test_an_unknown_service_stops_all_before_any_redeploy(fleet: Cli) -> None:
    result = fleet("rebuild", f"{APP}/svc-00", f"{APP}/nope")
    assert result.exit_code == ExitCode.NOT_FOUND
    assert "No service named 'nope' in app 'fleet'." in result.stderr
    assert _redeploys(fleet.fake) == []
    result = fleet("rebuild", "--app", "nope", "--all")
    assert result.exit_code == ExitCode.NOT_FOUND
    assert "No app named 'nope'." in result.stderr


def test_ctrl_c_names_each_deployment_and_how_to_resume(repo_root: Path, tmp_path: Path) -> None:
    fake = FakeKoyeb()
    for number in range(4):
        fake.add_service(f"{APP}/svc-{number}")
    # Real time: the deployments take minutes, so the signal lands while they run.
    with FakeServer(fake, speed=1) as server:
        env = {
            **os.environ,
            "KOYEB_URL": server.url,
            "KOYEB_TOKEN": fake.token,
            "HOME": str(tmp_path),
            "NO_COLOR": "1",
            "PYTHONUNBUFFERED": "1",
        }
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "cachebust",
                "rebuild",
                "--app",
                APP,
                "--all",
                "--parallel",
                "2",
            ],
            env=env,
            cwd=repo_root,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        deadline = time.monotonic() + 60
        while len([e for e in fake.journal if e.path.endswith("/redeploy")]) < 2:
            assert process.poll() is None and time.monotonic() < deadline
            time.sleep(0.05)
        time.sleep(0.5)  # the answers reach the command
        process.send_signal(signal.SIGINT)
        _, err = process.communicate(timeout=60)
    assert process.returncode == ExitCode.INTERRUPTED, err
    created = [
        str(e.reply["deployment"]["id"]) for e in fake.journal if e.path.endswith("/redeploy")
    ]
    lines = err.splitlines()
    assert lines[0].startswith("Error: Interrupted: 2 deployment(s) go on at Koyeb: ")
    for deployment_id in created:
        assert deployment_id in lines[0] and f"`cachebust watch {deployment_id}`" in lines[2]
    assert "Not redeployed: fleet/svc-2, fleet/svc-3." in lines[1]
    assert "Start the others with `cachebust rebuild fleet/svc-2 fleet/svc-3`." in lines[2]
    assert "Traceback" not in err
