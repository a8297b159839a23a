"""The files the guide shows or tells readers to run pass their linters (one linter per
kind, in guidetools.lint; the pages' include blocks use the same, once per file)."""

from __future__ import annotations

from pathlib import Path

import pytest

from cachebust._config import load
from guidetools.guide import Guide
from guidetools.lint import LintCache, linter_for

REPO = Path(__file__).resolve().parents[2]


def _linted_files() -> list[str]:
    """Runbooks and workflows, whether a page includes them or not, and the Dockerfile."""
    found = [*REPO.glob("runbooks/*.sh"), *REPO.glob(".github/workflows/*.y*ml")]
    paths = sorted(str(path.relative_to(REPO)) for path in found)
    return [*paths, load(REPO).dockerfile]


@pytest.mark.parametrize("path", _linted_files())
def test_file_passes_its_linter(guide: Guide, path: str) -> None:
    lint = guide.lints.lint(path)
    assert lint.ok, lint.output


@pytest.mark.parametrize(
    ("path", "linter"),
    [
        ("runbooks/force-koyeb-rebuild.sh", "shellcheck"),
        ("backend/Dockerfile", "hadolint"),
        ("images/api.Dockerfile", "hadolint"),
        (".github/workflows/deploy.yml", "check-jsonschema, zizmor"),
        ("examples/workflows/rebuild-fleet.yml", "check-jsonschema, zizmor"),
        ("action.yml", "check-jsonschema, zizmor"),
        ("backend/app.py", "ruff"),
        ("backend/requirements.txt", "pinned requirements"),
        ("requirements-dev.txt", "pinned requirements"),
    ],
)
def test_each_kind_of_file_has_one_linter(path: str, linter: str) -> None:
    found = linter_for(path)
    assert found is not None and found.name == linter


def test_a_file_without_a_linter_cannot_be_included(tmp_path: Path) -> None:
    (tmp_path / "notes.toml").write_text("a = 1\n")
    assert linter_for("notes.toml") is None
    assert LintCache(tmp_path).lint("notes.toml").output == (
        "notes.toml: no linter for this kind of file"
    )


def test_requirements_must_be_pinned_with_hashes(tmp_path: Path) -> None:
    digest = "0" * 64
    (tmp_path / "requirements.txt").write_text(
        f"# pinned\ngunicorn==23.0.0 \\\n    --hash=sha256:{digest}\nrich>=13\nhttpx==0.28.1\n"
    )
    lint = LintCache(tmp_path).lint("requirements.txt")
    assert not lint.ok
    assert lint.output.splitlines() == [
        "requirements.txt: rich is not pinned with ==",
        "requirements.txt: rich has no --hash=sha256:...",
        "requirements.txt: httpx has no --hash=sha256:...",
    ]


def test_a_shell_script_with_a_bug_fails_shellcheck(tmp_path: Path) -> None:
    (tmp_path / "bad.sh").write_text("#!/bin/bash\nrm -rf $1/*\n")
    lint = LintCache(tmp_path).lint("bad.sh")
    assert not lint.ok and "SC2086" in lint.output


def test_a_workflow_exposing_a_secret_fails_zizmor(tmp_path: Path) -> None:
    """A valid workflow (the schema passes) whose job reads a secret outside an environment."""
    workflow = tmp_path / ".github/workflows/bad.yml"
    workflow.parent.mkdir(parents=True)
    workflow.write_text(
        "name: bad\non: push\npermissions: {}\njobs:\n  rebuild:\n    name: Rebuild\n"
        "    runs-on: ubuntu-24.04\n    steps:\n      - name: Rebuild\n"
        "        run: ./rebuild\n        env:\n          TOKEN: ${{ secrets.TOKEN }}\n"
    )
    lint = LintCache(tmp_path).lint(".github/workflows/bad.yml")
    assert not lint.ok
    assert "check-jsonschema" not in lint.output
    assert "secrets-outside-env" in lint.output
