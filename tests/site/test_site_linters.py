"""The files the guide shows pass their own linters, and the workflows keep their
promises: pinned actions, least privilege, one deployment at a time, the token only
in the environment."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from cachebust.config import load

BIN = Path(sys.executable).parent
WORKFLOWS = ("deploy.yml", "docs.yml")


def _lint(*argv: str, cwd: Path) -> None:
    result = subprocess.run(argv, cwd=cwd, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr


def test_hadolint_accepts_the_dockerfile(repo_root: Path) -> None:
    _lint(str(BIN / "hadolint"), load(repo_root).dockerfile, cwd=repo_root)


def test_shellcheck_accepts_the_runbooks(repo_root: Path) -> None:
    scripts = sorted(str(p.relative_to(repo_root)) for p in (repo_root / "runbooks").glob("*.sh"))
    assert scripts
    _lint(str(BIN / "shellcheck"), *scripts, cwd=repo_root)


def test_workflows_match_the_github_schema(repo_root: Path) -> None:
    schema = ["--builtin-schema", "vendor.github-workflows"]
    paths = [f".github/workflows/{name}" for name in WORKFLOWS]
    _lint(str(BIN / "check-jsonschema"), *schema, *paths, cwd=repo_root)


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
