"""The workflows keep their promises: pinned actions, least privilege, one deployment
at a time, the token only in its environment, the guide published after the suite
passes, and nothing zizmor reports left unexplained. (Their linters, like every
file the guide shows, also run from src/guidetools/lint.py.)"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

WORKFLOWS = ("deploy.yml", "docs.yml")
#: zizmor at its strictest useful level, offline; a file it cannot read fails too.
ZIZMOR = (
    str(Path(sys.executable).with_name("zizmor")),
    *("--offline", "--persona", "auditor", "--strict-collection"),
)
#: An inline suppression, which must say why on the same line.
_IGNORE = re.compile(r"#\s*zizmor:\s*ignore\[[^\]]+\](?P<reason>.*)$")


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
        if ref.startswith("./"):  # this repository's own action, at the commit checked out
            continue
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
    # The repository's own action (action.yml), which runs `cachebust rebuild`.
    steps = [s for s in rebuild["steps"] if s.get("uses") == "./"]
    assert len(steps) == 1
    assert steps[0]["env"] == {"KOYEB_TOKEN": "${{ secrets.KOYEB_TOKEN }}"}
    assert "with" not in steps[0]  # the token is never an input
    for job in workflow["jobs"].values():
        for step in job["steps"]:
            assert "KOYEB_TOKEN" not in step.get("run", ""), step
            assert "secrets." not in str(step.get("with", "")), step


def test_only_the_rebuild_job_reads_a_secret_and_only_in_the_koyeb_environment(
    repo_root: Path,
) -> None:
    workflow = _workflow(repo_root, "deploy.yml")
    reading = [name for name, job in workflow["jobs"].items() if "secrets." in str(job)]
    assert reading == ["rebuild"]
    assert workflow["jobs"]["rebuild"]["environment"] == "koyeb"


def test_the_guide_is_published_after_the_suite_by_the_only_job_that_can(
    repo_root: Path,
) -> None:
    jobs = _workflow(repo_root, "deploy.yml")["jobs"]
    assert jobs["site"]["needs"] == "test" and jobs["pages"]["needs"] == "site"
    writers = {
        name: job["permissions"]
        for name, job in jobs.items()
        if "write" in str(job.get("permissions", {}))
    }
    assert writers == {"pages": {"pages": "write", "id-token": "write"}}
    assert jobs["site"]["permissions"] == {"contents": "read", "pages": "read"}
    assert jobs["pages"]["environment"]["name"] == "github-pages"
    assert [step.get("uses", "").split("@")[0] for step in jobs["pages"]["steps"]] == [
        "actions/deploy-pages"
    ]
    built = [step for step in jobs["site"]["steps"] if step.get("run") == "make site"]
    assert built and built[0]["env"] == {"SITE_URL": "${{ steps.pages.outputs.base_url }}"}


def _zizmor(root: Path, *inputs: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*ZIZMOR, *inputs], cwd=root, capture_output=True, text=True, check=False)


def test_zizmor_reports_no_unexplained_finding(repo_root: Path) -> None:
    """Every workflow present (and a root action.yml, if any), whatever its name."""
    workflows = sorted((repo_root / ".github/workflows").glob("*.y*ml"))
    actions = [n for n in ("action.yml", "action.yaml") if (repo_root / n).is_file()]
    assert workflows
    result = _zizmor(repo_root, ".github/workflows", *actions)
    assert result.returncode == 0, result.stdout + result.stderr
    for path in [*workflows, *(repo_root / n for n in actions)]:
        assert f"completed {path.relative_to(repo_root).as_posix()}" in result.stderr, path
        for number, line in enumerate(path.read_text().splitlines(), 1):
            if (ignore := _IGNORE.search(line)) and len(ignore["reason"].strip(" :-")) < 10:
                pytest.fail(f"{path.name}:{number}: a zizmor ignore without its reason")


def test_zizmor_catches_a_secret_outside_an_environment(repo_root: Path, tmp_path: Path) -> None:
    deploy = (repo_root / ".github/workflows/deploy.yml").read_text()
    assert "    environment: koyeb\n" in deploy
    exposed = tmp_path / ".github/workflows/deploy.yml"
    exposed.parent.mkdir(parents=True)
    exposed.write_text(deploy.replace("    environment: koyeb\n", ""))
    result = _zizmor(tmp_path, ".github/workflows")
    assert result.returncode != 0
    assert "secrets-outside-env" in result.stdout
