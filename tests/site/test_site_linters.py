"""The workflows keep their promises: pinned actions, least privilege, one deployment
at a time, the token only in the environment. (Their linters, like every file the
guide shows, run from src/guidetools/lint.py.)"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml

WORKFLOWS = ("deploy.yml", "docs.yml")


def _workflow(repo_root: Path, name: str) -> dict[Any, Any]:
    data: dict[Any, Any] = yaml.safe_load((repo_root / ".github/workflows" / name).read_text())
    return data


@pytest.mark.parametrize("name", WORKFLOWS)
def test_actions_are_pinned_to_full_shas_with_a_version_comment(repo_root: Path, name: str) -> None:
    uses = [
        line.split("uses:", 1)[1].strip()
        for line in (repo_root / ".github/workflows" / name).read_text().splitlines()
        if "uses:" in line
    ]
    assert uses
    for ref in uses:
        assert re.fullmatch(r"[\w.-]+/[\w.-]+@[0-9a-f]{40} # v\d+(\.\d+)*", ref), ref


@pytest.mark.parametrize("name", WORKFLOWS)
def test_least_privilege_and_concurrency(repo_root: Path, name: str) -> None:
    workflow = _workflow(repo_root, name)
    assert workflow["permissions"] == {"contents": "read"}
    assert workflow["concurrency"]["group"]


def test_deploy_tests_then_rebuilds_with_the_token_in_env_only(repo_root: Path) -> None:
    workflow = _workflow(repo_root, "deploy.yml")
    assert workflow[True] == {"push": {"branches": ["main"]}}  # YAML 1.1 reads `on` as True
    assert workflow["concurrency"]["cancel-in-progress"] is False
    rebuild = workflow["jobs"]["rebuild"]
    assert rebuild["needs"] == "test"
    steps = [s for s in rebuild["steps"] if "cachebust rebuild" in s.get("run", "")]
    assert len(steps) == 1
    assert steps[0]["env"] == {"KOYEB_TOKEN": "${{ secrets.KOYEB_TOKEN }}"}
    for job in workflow["jobs"].values():
        for step in job["steps"]:
            assert "KOYEB_TOKEN" not in step.get("run", ""), step
            assert "secrets." not in str(step.get("with", "")), step
