"""`.github/workflows/contract.yml`: the weekly `cachebust contract` run.

It is linted as the workflows the guide shows are (no page includes it), its shape is
checked, and its one script is run with bash: without the secret it passes with a
notice; with a token it runs the probe (here against the fake on loopback).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from cachebust.fake import FakeKoyeb, FakeServer
from guidetools.lint import linter_for

PATH = ".github/workflows/contract.yml"
_PINNED = re.compile(r"^[\w.-]+/[\w.-]+@[0-9a-f]{40}$")


@pytest.fixture(scope="module")
def workflow(repo_root: Path) -> dict[Any, Any]:
    loaded = yaml.safe_load((repo_root / PATH).read_text(encoding="utf-8"))
    assert isinstance(loaded, dict)
    return loaded


def _job(workflow: dict[Any, Any]) -> dict[str, Any]:
    (job,) = workflow["jobs"].values()
    assert isinstance(job, dict)
    return job


def _script(workflow: dict[Any, Any]) -> tuple[str, dict[str, str]]:
    step = next(s for s in _job(workflow)["steps"] if "cachebust contract" in s.get("run", ""))
    return step["run"], step["env"]


def test_it_passes_the_github_workflow_schema(repo_root: Path) -> None:
    linter = linter_for(PATH)
    assert linter is not None and "check-jsonschema" in linter.name and "zizmor" in linter.name
    lint = linter.run(repo_root, PATH)
    assert lint.ok, lint.output


def test_weekly_and_on_demand_reading_only_the_repository(workflow: dict[Any, Any]) -> None:
    # PyYAML reads the key `on` as True.
    triggers = workflow[True]
    assert [entry["cron"] for entry in triggers["schedule"]] == ["17 6 * * 1"]
    assert "workflow_dispatch" in triggers
    assert workflow["permissions"] == {"contents": "read"}
    job = _job(workflow)
    assert job["name"] and job["environment"] == "koyeb"
    for step in job["steps"]:
        if "uses" in step:
            assert _PINNED.match(step["uses"]), step["uses"]
    assert any(step.get("run", "").startswith("make install") for step in job["steps"])
    _, env = _script(workflow)
    assert env["KOYEB_TOKEN"] == "${{ secrets.KOYEB_TOKEN }}"


def _run(script: str, env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess[str]:
    path = f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"
    return subprocess.run(
        ["bash", "-e", "-c", script],
        cwd=cwd,
        env={"PATH": path, "HOME": str(cwd), "NO_COLOR": "1", **env},
        capture_output=True,
        text=True,
        check=False,
    )


def test_without_the_secret_it_passes_with_a_notice(
    workflow: dict[Any, Any], repo_root: Path
) -> None:
    script, _ = _script(workflow)
    done = _run(script, {"KOYEB_TOKEN": "", "REDEPLOY": ""}, repo_root)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("::notice title=Contract not checked::No KOYEB_TOKEN secret")


@pytest.mark.timeout(120)
def test_with_a_token_it_runs_the_probe(workflow: dict[Any, Any], repo_root: Path) -> None:
    script, _ = _script(workflow)
    fake = FakeKoyeb()
    with FakeServer(fake, speed=300) as server:
        env = {
            "KOYEB_TOKEN": fake.token,
            "KOYEB_URL": server.url,
            "CACHEBUST_SPEED": "300",
            "REDEPLOY": "",
        }
        done = _run(script, env, repo_root)
    assert done.returncode == 0, done.stdout + done.stderr
    lines = done.stdout.splitlines()
    assert lines[0].startswith("Contract of the fake Koyeb API, checked on ")
    assert lines[-1].endswith(" not observable.") and " 0 differ" in lines[-1]
    assert fake.token not in done.stdout + done.stderr
    assert not [e for e in fake.journal if e.method != "GET"]  # REDEPLOY empty: reads only
