"""The displays of several rebuilds: plain lines, JSON lines, and the live one."""

from __future__ import annotations

import io
import json

from rich.console import Console

from cachebust._errors import DeploymentFailed, ExitCode
from cachebust._fleet import Result, worst_exit_code
from cachebust._models import BuildStage, Deployment
from cachebust._watch import Change
from cachebust.cli._fleet_output import JsonFleet, LiveFleet, PlainFleet, table

FAILED = DeploymentFailed(
    "Deployment d ended in status ERROR.",
    "Koyeb reports ERROR.",
    "Read the build logs.",
    deployment_id="d",
    status="ERROR",
)


def _change(status: str) -> Change:
    deployment = Deployment(id="d", status=status, stages=(BuildStage("build", "RUNNING"),))
    return Change(deployment, elapsed=3.0, polls=1, status_changed=True, stage_changed=True)


def _results() -> list[Result]:
    return [
        Result("a/web", "d1", "HEALTHY", 185.0, "uncached"),
        Result("a/worker", "d2", "ERROR", 45.0, "", FAILED),
    ]


def test_the_table_is_aligned_with_a_dash_for_what_is_missing() -> None:
    assert table([*_results(), Result("a/cron")]) == [
        "SERVICE   DEPLOYMENT  STATUS   DURATION  CACHE",
        "a/web     d1          HEALTHY  3m05s     uncached",
        "a/worker  d2          ERROR    45s       -",
        "a/cron    -           -        0s        -",
    ]


def test_plain_lines_name_their_service_and_errors_go_to_stderr() -> None:
    out, err = io.StringIO(), io.StringIO()
    display = PlainFleet(out, err)
    display.emit("a/web", "Deployment d created.", {"event": "created"})
    display.change("a/web", _change("PROVISIONING"))
    display.fail("a/worker", FAILED)
    assert out.getvalue().splitlines() == [
        "a/web: Deployment d created.",
        "a/web: PROVISIONING (stage build: RUNNING)",
    ]
    assert err.getvalue().splitlines() == [
        "a/worker: Error: Deployment d ended in status ERROR.",
        "  Why: Koyeb reports ERROR.",
        "  Fix: Read the build logs.",
    ]


def test_json_events_have_a_target_and_results_close_them() -> None:
    out, err = io.StringIO(), io.StringIO()
    display = JsonFleet(out, err)
    display.change("a/web", _change("PROVISIONING"))
    display.fail("a/worker", FAILED)
    display.results(_results())
    events = [json.loads(line) for line in out.getvalue().splitlines()]
    assert [(e["event"], e["target"]) for e in events] == [
        ("status", "a/web"),
        ("error", "a/worker"),
        ("result", "a/web"),
        ("result", "a/worker"),
    ]
    assert events[1]["exit_code"] == 5 and events[3]["exit_code"] == 5
    assert "a/worker: Error:" in err.getvalue()


def test_the_live_display_draws_one_line_per_service() -> None:
    out, err = io.StringIO(), io.StringIO()
    display = LiveFleet(["a/web", "a/worker", "a/cron", "a/db"], out, err)
    display.emit("a/web", "Redeploying a/web.", {"event": "redeploy"})
    display.change("a/web", _change("PROVISIONING"))
    display.fail("a/worker", FAILED)
    display.emit("a/cron", "Redeploying a/cron.", {"event": "redeploy"})
    display.emit("a/cron", "a/cron is HEALTHY.", {"event": "done", "status": "HEALTHY"})
    display.emit("a/cron", "The build...", {"event": "cache", "verdict": "uncached"})
    drawn = io.StringIO()
    Console(file=drawn, width=200).print(display)
    lines = drawn.getvalue().splitlines()
    assert lines[0].startswith("a/web     PROVISIONING (stage build: RUNNING)  ")
    assert lines[1] == "a/worker  failed: Deployment d ended in status ERROR."
    assert lines[2] == "a/cron    HEALTHY, cache: uncached"
    assert lines[3] == "a/db      waiting for a slot"
    narrow = io.StringIO()
    Console(file=narrow, width=30).print(display)
    assert all(len(line) <= 30 for line in narrow.getvalue().splitlines())
    assert len(narrow.getvalue().splitlines()) == 4  # one line each, cut, never wrapped
    display.results(_results())
    assert out.getvalue().splitlines()[-3:] == table(_results())
    assert "a/worker: Error: Deployment d ended in status ERROR." in err.getvalue()


def test_the_worst_outcome_ranks_a_failure_above_a_timeout() -> None:
    assert worst_exit_code([]) == ExitCode.OK
    assert worst_exit_code(_results()) == ExitCode.DEPLOYMENT_FAILED


def test_a_bug_in_one_rebuild_is_a_failure_not_a_success() -> None:
    from cachebust._fleet import Ledger, rebuild_fleet
    from cachebust._models import Target

    class Broken:
        clock = None  # `_rebuild_one` reads client.clock first: an AttributeError

    out, err = io.StringIO(), io.StringIO()
    results = rebuild_fleet(
        Broken(),  # type: ignore[arg-type]
        [Target("a", "app", "s", "web")],
        out=PlainFleet(out, err),
        ledger=Ledger(),
    )
    assert worst_exit_code(results) == ExitCode.API
    assert err.getvalue().startswith("app/web: Error: cachebust stopped following app/web: ")
