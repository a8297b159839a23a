"""`cachebust status`, `watch` and `logs`, and the help of every command."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from cachebust._errors import ExitCode
from cachebust.cli import root

if TYPE_CHECKING:
    from tests.cli.conftest import Cli


def test_status_plain(cli: Cli, repo_root: Path) -> None:
    # The fake runs this checkout's HEAD, and the fixture works in the checkout.
    head = subprocess.run(
        ["git", "rev-parse", "--short=7", "HEAD"], cwd=repo_root, capture_output=True, text=True
    ).stdout.strip()
    service = cli.fake.service()
    result = cli("status")
    assert result.exit_code == 0
    assert result.stdout.splitlines() == [
        f"service:            {cli.fake.settings.target}",
        "service status:     HEALTHY",
        f"latest deployment:  {service['latest_deployment_id']} HEALTHY, commit {head} on main",
        f"active deployment:  {service['active_deployment_id']} HEALTHY, commit {head} on main",
        f"local HEAD:         {head}",
        f"verdict:            running your commit: Koyeb runs {head}, your HEAD.",
    ]


def test_status_json_during_a_build(cli: Cli) -> None:
    cli.fake.next_deployment_outcome("stuck")
    assert cli("rebuild", "--no-wait").exit_code == 0
    report = json.loads(cli("status", "--json").stdout)
    assert report["target"] == cli.fake.settings.target
    assert report["latest_deployment"]["status"] in ("PENDING", "PROVISIONING")
    assert report["active_deployment"]["status"] == "HEALTHY"
    assert report["latest_deployment"]["id"] != report["active_deployment"]["id"]


def test_watch_a_deployment_id(cli: Cli) -> None:
    assert cli("rebuild", "--no-wait").exit_code == 0
    deployment_id = cli.fake.service()["latest_deployment_id"]
    result = cli("watch", deployment_id)
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    target = cli.fake.settings.target
    assert lines[0] == f"Watching deployment {deployment_id} of {target}."
    assert lines[-1] == f"{target} is HEALTHY on deployment {deployment_id}."


def test_watch_the_configured_service_already_healthy(cli: Cli) -> None:
    result = cli("watch", "--json")
    events = [json.loads(line) for line in result.stdout.splitlines()]
    assert [e["event"] for e in events] == ["watch", "status", "done"]
    assert events[1]["status"] == "HEALTHY" and events[1]["finished"] is True


def test_watch_an_unknown_deployment(cli: Cli) -> None:
    result = cli("watch", "0b6f4c1e-2d3a-4b5c-8d7e-9f0a1b2c3d4e")
    assert result.exit_code == ExitCode.NOT_FOUND
    assert "Error: Deployment 0b6f4c1e-2d3a-4b5c-8d7e-9f0a1b2c3d4e was not found." in result.stderr


def test_build_logs_of_the_latest_deployment(cli: Cli) -> None:
    assert cli("rebuild").exit_code == 0
    result = cli("logs", "--type", "build")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0].startswith("#0 ") and lines[-1].startswith("#11 DONE")
    assert not [line for line in lines if line.endswith(" CACHED")]


def test_build_logs_with_cache_show_cached_steps(cli: Cli) -> None:
    assert cli("rebuild", "--use-cache").exit_code == 0
    deployment_id = cli.fake.service()["latest_deployment_id"]
    result = cli("logs", cli.fake.settings.target, "--type", "build", "--deployment", deployment_id)
    assert [line for line in result.stdout.splitlines() if line.endswith(" CACHED")]


def test_build_logs_tail_ends_with_the_build(cli: Cli) -> None:
    assert cli("rebuild", "--no-wait").exit_code == 0
    result = cli("logs", "--type", "build", "--tail", "--json")
    assert result.exit_code == 0
    entries = [json.loads(line) for line in result.stdout.splitlines()]
    assert entries[-1]["msg"].startswith("#11 DONE")
    assert entries[0]["labels"]["type"] == "build"
    assert len({(e["created_at"], e["msg"]) for e in entries}) == len(entries)  # no repeats


def test_runtime_logs_since(cli: Cli) -> None:
    result = cli("logs", "--since", "2d")
    assert result.exit_code == ExitCode.USAGE  # "d" is not a unit
    result = cli("logs", "--since", "48h")
    assert result.exit_code == 0
    assert result.stdout or "No runtime log lines" in result.stderr


@pytest.mark.parametrize("name", ["rebuild", "watch", "status", "logs"])
def test_help_has_examples_and_exit_codes(cli: Cli, name: str) -> None:
    result = cli(name, "--help")
    assert result.exit_code == 0
    assert "Examples:" in result.stdout and f"cachebust {name}" in result.stdout
    assert "Exit codes:" in result.stdout and "6  The deployment did not finish" in result.stdout
    assert "--token" not in result.stdout


def test_every_listed_command_loads_under_its_name() -> None:
    import click

    ctx = click.Context(root)
    names = root.list_commands(ctx)
    assert names == ["rebuild", "watch", "status", "logs", "doctor", "contract", "fake-api"]
    for name in names:
        command = root.get_command(ctx, name)
        assert command is not None and command.name == name


@pytest.mark.parametrize("speed", ["fast", "0", "-3", "inf", "nan"])
def test_a_bad_cachebust_speed_is_a_usage_error(cli: Cli, speed: str) -> None:
    result = cli("status", CACHEBUST_SPEED=speed)
    assert result.exit_code == ExitCode.USAGE
    assert result.stderr.startswith(f"Error: Invalid CACHEBUST_SPEED {speed!r}.")
    assert len(cli.fake.journal) == 0
