"""`cachebust rebuild`: the must-show behaviours, end to end against the fake."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from cachebust._client import Client
from cachebust._errors import ExitCode

if TYPE_CHECKING:
    from tests.cli.conftest import Cli

REDEPLOY = "/v1/services/*/redeploy"


def _redeploys(cli: Cli) -> list[object]:
    return [e.body for e in cli.fake.journal if e.method == "POST" and e.path.endswith("/redeploy")]


def test_rebuild_sends_one_uncached_redeploy_and_waits(cli: Cli) -> None:
    target = cli.fake.settings.target
    result = cli("rebuild", target)
    assert result.exit_code == ExitCode.OK, result.output
    assert _redeploys(cli) == [{"use_cache": False, "skip_build": False}]
    lines = result.stdout.splitlines()
    assert lines[0] == f"Redeploying {target} without the build cache (use_cache=false)."
    deployment_id = cli.fake.service()["latest_deployment_id"]
    assert lines[1] == f"Deployment {deployment_id} created."
    statuses = lines[2:-2]  # which statuses a poll catches depends on timing
    assert statuses[-1].startswith("HEALTHY")
    assert {s.split()[0] for s in statuses} <= {
        "PENDING",
        "PROVISIONING",
        "SCHEDULED",
        "ALLOCATING",
        "STARTING",
        "HEALTHY",
    }
    assert lines[-2] == f"{target} is HEALTHY on deployment {deployment_id}."
    assert lines[-1] == (
        f"The build of {deployment_id[:8]} ran all 5 Dockerfile steps without the cache "
        "(inferred from its build log's `#N CACHED` lines)."
    )
    assert result.stderr == ""


def test_rebuild_defaults_to_the_configured_service(cli: Cli) -> None:
    result = cli("rebuild", "--no-wait")
    assert result.exit_code == 0
    deployment_id = cli.fake.service()["latest_deployment_id"]
    assert result.stdout.splitlines()[-1] == (
        f"Not waiting; follow it with: cachebust watch {deployment_id}"
    )


def test_failed_build_exits_5_and_names_the_build_logs(cli: Cli) -> None:
    cli.fake.next_deployment_outcome("error")
    target = cli.fake.settings.target
    result = cli("rebuild", target)
    assert result.exit_code == ExitCode.DEPLOYMENT_FAILED
    deployment_id = cli.fake.service()["latest_deployment_id"]
    # ERRORING comes a second before ERROR: which one a poll sees depends on timing.
    status = result.stdout.splitlines()[-1].split()[0]
    assert status in ("ERRORING", "ERROR")
    assert result.stderr.startswith(f"Error: Deployment {deployment_id} ended in status {status}.")
    assert f"cachebust logs {target} --type build --deployment {deployment_id}" in result.stderr


def test_dropped_connection_after_the_redeploy_still_succeeds(cli: Cli) -> None:
    cli.fake.inject("POST", REDEPLOY, drop=True)
    before = _deployment_ids(cli)
    result = cli("rebuild")
    assert result.exit_code == 0, result.output
    assert len(_redeploys(cli)) == 1
    created = _deployment_ids(cli) - before
    assert len(created) == 1
    assert f"Deployment {created.pop()} created." in result.stdout


def _deployment_ids(cli: Cli) -> set[str]:
    with Client(
        cli.fake.token,
        transport=cli.fake.transport,
        clock=cli.fake.clock,
        base_url="http://127.0.0.1:9",
    ) as client:
        return {d.id for d in client.list_deployments(cli.fake.service_id)}


def test_stuck_deployment_hits_the_timeout(cli: Cli) -> None:
    cli.fake.next_deployment_outcome("stuck")
    # A minute, not the 2 s the deployment spends PENDING: a read delayed by a loaded
    # machine past a 2 s timeout (7 ms here) would still see PENDING.
    result = cli("rebuild", "--timeout", "1m")
    assert result.exit_code == ExitCode.TIMED_OUT
    assert "is still PROVISIONING after 1m00s." in result.stderr
    assert "cachebust watch " in result.stderr


def test_dry_run_sends_nothing_and_masks_the_token(cli: Cli) -> None:
    result = cli("rebuild", "--dry-run")
    assert result.exit_code == 0
    assert len(cli.fake.journal) == 0
    assert "Authorization: Bearer ***" in result.stdout
    assert result.stdout.rstrip().endswith('{"use_cache":false,"skip_build":false}')
    assert "POST " in result.stdout and "/v1/services/{service_id}/redeploy" in result.stdout


def test_dry_run_with_a_service_id_and_use_cache_as_json(cli: Cli) -> None:
    result = cli("rebuild", cli.fake.service_id, "--dry-run", "--use-cache", "--json")
    event = json.loads(result.stdout)
    assert event["request"].endswith(f"/v1/services/{cli.fake.service_id}/redeploy")
    assert event["body"] == {"use_cache": True, "skip_build": False}
    assert event["headers"]["Authorization"] == "Bearer ***"


def test_json_lines(cli: Cli) -> None:
    result = cli("rebuild", "--json")
    events = [json.loads(line) for line in result.stdout.splitlines()]
    assert [e["event"] for e in events[:2]] == ["redeploy", "created"]
    assert events[0]["use_cache"] is False
    deployment_id = events[1]["deployment_id"]
    assert events[-2] == {
        "event": "done",
        "target": cli.fake.settings.target,
        "deployment_id": deployment_id,
        "status": "HEALTHY",
    }
    assert all(e["event"] == "status" for e in events[2:-2])
    assert events[-1] == {
        "event": "cache",
        "deployment_id": deployment_id,
        "verdict": "uncached",
        "steps": 5,
        "cached_steps": 0,
        "cached": [],
        "inferred": True,
        "message": f"The build of {deployment_id[:8]} ran all 5 Dockerfile steps without the "
        "cache (inferred from its build log's `#N CACHED` lines).",
    }


def test_a_500_while_following_is_retried(cli: Cli) -> None:
    cli.fake.inject("GET", "/v1/deployments/*", status=500, times=2)
    result = cli("rebuild")
    assert result.exit_code == ExitCode.OK, result.output
    assert len(_redeploys(cli)) == 1


def test_reads_that_keep_failing_name_watch_not_a_second_rebuild(cli: Cli) -> None:
    cli.fake.inject("GET", "/v1/deployments/*", status=500, times=50)
    result = cli("rebuild")
    deployment_id = cli.fake.service()["latest_deployment_id"]
    assert result.exit_code == ExitCode.API
    assert f"Deployment {deployment_id} created." in result.stdout
    assert f"resume following it with `cachebust watch {deployment_id}`" in result.stderr
    assert "run the same command again" not in result.stderr
    assert len(_redeploys(cli)) == 1


def test_the_dry_run_shows_the_requests_a_rebuild_sends(cli: Cli) -> None:
    from urllib.parse import urlsplit

    planned = json.loads(cli("rebuild", "--dry-run", "--json").stdout)
    assert len(cli.fake.journal) == 0
    cli("rebuild", "--no-wait")
    ids = {"{app_id}": cli.fake.app_id, "{service_id}": cli.fake.service_id}
    shown = []
    for line in [*planned["lookups"], planned["request"]]:
        method, url = line.split(" ", 1)
        for placeholder, value in ids.items():
            url = url.replace(placeholder, value)
        shown.append((method, urlsplit(url).path, urlsplit(url).query))
    sent = [
        (e.method, e.path, "&".join(f"{k}={v[0]}" for k, v in e.query.items()))
        for e in cli.fake.journal
    ]
    assert shown == sent
