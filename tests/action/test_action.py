"""The composite action (`action.yml`), its steps run as the file declares them
(`tests/action/runner.py`) against the fake Koyeb API on loopback: the outputs and the
job summary for a healthy rebuild, a failed build and a timeout.

The `setup-python` step and the install step are stood in for: one is another action,
the other downloads from PyPI. Their stand-ins give this venv's Python, which has the
checkout's cachebust installed, as the install step would. The install step itself is
linted, and the files it reads are checked, by the last tests here.
"""

from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import click
import pytest
import yaml
from tests.action.runner import ActionRun, job_env, load, run_action

from cachebust._action import rebuild_args
from cachebust._errors import ExitCode
from cachebust.cli import root
from cachebust.fake import FakeKoyeb, FakeServer

SPEED = 300.0
#: The steps run elsewhere than here, as what they would give: this venv's Python.
STAND_INS = {"python": {"python-path": sys.executable}, "install": {"python": sys.executable}}


@pytest.fixture
def server(repo_root: Path) -> Iterator[FakeServer]:
    fake = FakeKoyeb()
    with FakeServer(fake, speed=SPEED) as running:
        yield running
    assert not fake.contract_violations, fake.contract_violations


def _run(repo_root: Path, server: FakeServer, tmp_path: Path, **inputs: str) -> ActionRun:
    env = job_env(
        KOYEB_URL=server.url,
        KOYEB_TOKEN=server.fake.token,
        HOME=str(tmp_path / "home"),
        NO_COLOR="1",
        CACHEBUST_SPEED=str(SPEED),
    )
    result = run_action(
        repo_root / "action.yml",
        inputs=inputs,
        env=env,
        workdir=repo_root,
        temp=tmp_path / "runner",
        stand_ins=STAND_INS,
    )
    everything = result.summary + "".join(s.stdout + s.stderr for s in result.steps)
    assert server.fake.token not in everything + str(result.outputs), "the token leaked"
    assert "Traceback" not in everything, everything
    return result


def _latest(server: FakeServer) -> dict[str, object]:
    service = server.fake.service()
    return server.fake.deployment(str(service["latest_deployment_id"]))


def test_a_healthy_rebuild_sets_the_outputs_and_the_summary(
    repo_root: Path, server: FakeServer, tmp_path: Path
) -> None:
    run = _run(repo_root, server, tmp_path)  # target: [tool.cachebust] of the checkout
    step = run.step("rebuild")
    assert step.returncode == 0, step.stdout + step.stderr
    deployment = _latest(server)
    commit = deployment["provisioning_info"]["sha"]  # type: ignore[index]
    target = server.fake.settings.target
    assert run.outputs == {
        "deployment-id": deployment["id"],
        "status": "HEALTHY",
        "commit": commit,
        "cache-verdict": "uncached",
    }
    journal = [e for e in server.fake.journal if e.path.endswith("/redeploy")]
    assert [e.body for e in journal] == [{"use_cache": False, "skip_build": False}]
    summary = run.summary
    assert summary.startswith(f"## cachebust rebuild: `{target}` HEALTHY\n")
    assert f"- **Target:** `{target}`" in summary
    assert f"- **Deployment:** `{deployment['id']}`" in summary
    assert f"- **Commit:** `{commit}`" in summary
    assert "- **Build cache:** `uncached`: The build of" in summary
    rows = re.findall(r"^\| ([A-Z]+) \| (\S+) \| (\S*) \|$", summary, re.MULTILINE)
    statuses = [status for status, _, _ in rows]
    assert "PROVISIONING" in statuses and statuses[-1] == "HEALTHY", summary
    assert len(set(statuses)) == len(statuses)  # a status shown once, however often polled
    assert rows[-1][2] == "" and all(lasted for _, _, lasted in rows[:-1])
    assert "What failed" not in summary
    # The job's log: plain lines, the verdict last.
    log = step.stdout.splitlines()
    assert log[0] == f"Redeploying {target} without the build cache."
    assert log[1] == f"Deployment {deployment['id']} created."
    assert "PROVISIONING (stage build: RUNNING)" in log
    assert log[-2] == f"{target} is HEALTHY on deployment {deployment['id']}."


def test_a_failed_build_fails_the_step_with_what_why_fix_and_the_log(
    repo_root: Path, server: FakeServer, tmp_path: Path
) -> None:
    server.fake.next_deployment_outcome("error")
    run = _run(repo_root, server, tmp_path, target=server.fake.settings.target)
    step = run.step("rebuild")
    assert step.returncode == ExitCode.DEPLOYMENT_FAILED
    deployment = _latest(server)
    assert run.outputs["deployment-id"] == deployment["id"]
    assert run.outputs["status"] in ("ERRORING", "ERROR")  # a poll may catch either
    assert run.outputs["cache-verdict"] == ""
    summary = run.summary
    assert "failed (DeploymentFailed)" in summary.splitlines()[0]
    assert f"Deployment {deployment['id']} ended in status" in summary
    assert "**Why:** Koyeb reports ERROR" in summary or "**Why:** Koyeb reports ERRORING" in summary
    assert "**How to fix:** Read the build logs with `cachebust logs" in summary
    logged = summary.split("```text\n", 1)[1].split("\n```", 1)[0].splitlines()
    assert 0 < len(logged) <= 20
    assert logged[-1].startswith("ERROR: failed to solve")
    assert step.stderr.startswith(f"Error: Deployment {deployment['id']} ended in status")
    assert step.stdout.splitlines()[-len(logged) - 1 :] == ["The build log's last lines:", *logged]


def test_a_timeout_fails_the_step_with_the_status_reached(
    repo_root: Path, server: FakeServer, tmp_path: Path
) -> None:
    server.fake.next_deployment_outcome("stuck")
    run = _run(repo_root, server, tmp_path, timeout="2m")
    step = run.step("rebuild")
    assert step.returncode == ExitCode.TIMED_OUT, step.stdout + step.stderr
    deployment = _latest(server)
    assert run.outputs["deployment-id"] == deployment["id"]
    assert run.outputs["status"] == "PROVISIONING"
    assert run.outputs["cache-verdict"] == ""
    assert "failed (WaitTimedOut)" in run.summary.splitlines()[0]
    assert f"Deployment {deployment['id']} is still PROVISIONING after 2m00s." in run.summary
    assert f"`cachebust watch {deployment['id']}`" in run.summary


def test_not_waiting_gives_the_deployment_only(
    repo_root: Path, server: FakeServer, tmp_path: Path
) -> None:
    run = _run(repo_root, server, tmp_path, wait="false", **{"use-cache": "true"})
    assert not run.failed
    assert run.outputs["deployment-id"] == _latest(server)["id"]
    assert run.outputs["status"] == run.outputs["cache-verdict"] == ""
    bodies = [e.body for e in server.fake.journal if e.path.endswith("/redeploy")]
    assert bodies == [{"use_cache": True, "skip_build": False}]
    assert "started (not waited for)" in run.summary.splitlines()[0]


def test_inputs_are_data_not_shell_code(
    repo_root: Path, server: FakeServer, tmp_path: Path
) -> None:
    marker = tmp_path / "pwned"
    run = _run(repo_root, server, tmp_path, target=f'a/b"; touch {marker}; echo "$(touch {marker})')
    assert not marker.exists()
    assert run.step("rebuild").returncode == ExitCode.USAGE
    assert "Invalid service name" in run.step("rebuild").stderr
    assert not [e for e in server.fake.journal if e.path.endswith("/redeploy")]


def test_a_bad_boolean_input_is_a_usage_error(
    repo_root: Path, server: FakeServer, tmp_path: Path
) -> None:
    run = _run(repo_root, server, tmp_path, **{"use-cache": "yes"})
    step = run.step("rebuild")
    assert step.returncode == ExitCode.USAGE
    assert step.stderr.splitlines() == [
        "Error: Invalid input use-cache: 'yes'.",
        "  Why: The action's use-cache input is a boolean: true or false.",
        "  Fix: Write `use-cache: true` or `use-cache: false` under `with:`, or leave it out.",
    ]
    assert not [e for e in server.fake.journal if e.path.endswith("/redeploy")]


def test_action_yml_is_valid_for_the_github_action_schema(repo_root: Path) -> None:
    checker = Path(sys.executable).with_name("check-jsonschema")
    done = subprocess.run(
        [str(checker), "--builtin-schema", "vendor.github-actions", "action.yml"],
        cwd=repo_root,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_the_schema_check_catches_a_broken_action(tmp_path: Path, repo_root: Path) -> None:
    broken = tmp_path / "action.yml"
    text = (repo_root / "action.yml").read_text()
    broken.write_text(text.replace("using: composite", "using: compost"))
    checker = Path(sys.executable).with_name("check-jsonschema")
    done = subprocess.run(
        [str(checker), "--builtin-schema", "vendor.github-actions", str(broken)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode != 0


def test_every_script_passes_shellcheck_and_names_no_secret(repo_root: Path) -> None:
    action = load(repo_root / "action.yml")
    shellcheck = Path(sys.executable).with_name("shellcheck")
    for step in action["runs"]["steps"]:
        if "run" not in step:
            continue
        assert step["shell"] == "bash"
        assert "${{" not in step["run"] and "KOYEB_TOKEN" not in step["run"]
        done = subprocess.run(
            [str(shellcheck), "--shell=bash", "-"],
            input=step["run"],
            capture_output=True,
            text=True,
            check=False,
        )
        assert done.returncode == 0, done.stdout
    assert "token" not in {name.lower() for name in action["inputs"]}


def _pins(path: Path) -> dict[str, str]:
    found = re.findall(r"^([a-z0-9][a-z0-9._-]*)==(\S+)", path.read_text(), re.MULTILINE)
    return dict(found)


def test_the_install_step_reads_hash_pinned_files_of_the_lock(repo_root: Path) -> None:
    """What the stood-in install step reads exists, is hash-pinned, and pins the lock's
    versions (make lock derives it from the lock)."""
    action = load(repo_root / "action.yml")
    install = next(s for s in action["runs"]["steps"] if s.get("id") == "install")
    files = re.findall(r'"\$GITHUB_ACTION_PATH/(requirements/[\w.]+)"', install["run"])
    assert files == ["requirements/uv.txt", "requirements/action.txt"]
    assert "--require-hashes" in install["run"] and "--no-deps" in install["run"]
    lock = _pins(repo_root / "requirements/lock.txt")
    action_pins = _pins(repo_root / "requirements/action.txt")
    assert {"click", "httpx", "rich", "hatchling"} <= set(action_pins)
    assert {name: lock.get(name) for name in action_pins} == action_pins
    for line in (repo_root / "requirements/action.txt").read_text().splitlines():
        if re.match(r"^[a-z0-9]", line):
            assert line.endswith("\\"), f"{line}: no hash follows"


def test_the_outputs_come_from_the_rebuild_step(repo_root: Path) -> None:
    action = yaml.safe_load((repo_root / "action.yml").read_text())
    assert {name: spec["value"] for name, spec in action["outputs"].items()} == {
        name: f"${{{{ steps.rebuild.outputs.{name} }}}}"
        for name in ("deployment-id", "status", "commit", "cache-verdict")
    }


@pytest.mark.parametrize(
    "inputs",
    [
        {},
        {"INPUT_TARGET": "my-app/web", "INPUT_USE_CACHE": "true", "INPUT_WAIT": "false"},
        {"INPUT_TIMEOUT": "15m", "INPUT_USE_CACHE": "FALSE", "INPUT_WAIT": "True"},
    ],
)
def test_the_inputs_make_a_command_line_click_accepts(inputs: dict[str, str]) -> None:
    env = {"INPUT_USE_CACHE": "false", "INPUT_WAIT": "true", **inputs}
    args = rebuild_args(env)
    assert args[:2] == ["rebuild", "--json"]
    with click.Context(root) as parent:
        command = root.get_command(parent, args[0])
        assert command is not None
        context = command.make_context(args[0], args[1:], parent=parent)
    assert context.params["use_cache"] is (env["INPUT_USE_CACHE"].lower() == "true")
    assert context.params["no_wait"] is (env["INPUT_WAIT"].lower() == "false")
    assert context.params["targets"] == tuple(filter(None, [env.get("INPUT_TARGET")]))


def test_without_a_target_or_a_configuration_the_summary_says_what_to_do(
    repo_root: Path, server: FakeServer, tmp_path: Path
) -> None:
    """The target defaults to the caller's [tool.cachebust]: a checkout without one is told."""
    bare = tmp_path / "checkout"
    bare.mkdir()
    env = job_env(
        KOYEB_URL=server.url, KOYEB_TOKEN=server.fake.token, HOME=str(tmp_path), NO_COLOR="1"
    )
    run = run_action(
        repo_root / "action.yml",
        inputs={},
        env=env,
        workdir=bare,
        temp=tmp_path / "runner",
        stand_ins=STAND_INS,
    )
    assert run.step("rebuild").returncode == ExitCode.USAGE
    assert "failed (ConfigNotFound)" in run.summary.splitlines()[0]
    assert "No cachebust configuration found." in run.summary
    assert "add a [tool.cachebust] table" in run.summary
    assert run.outputs == dict.fromkeys(("deployment-id", "status", "commit", "cache-verdict"), "")
    assert not [e for e in server.fake.journal if e.path.endswith("/redeploy")]
