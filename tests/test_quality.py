"""The linters the project holds itself to, run as part of the suite."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

BIN = Path(sys.executable).parent
#: What ruff checks: the package, the suite, the benchmarks and the Python scripts.
LINTED = ("src", "tests", "bench", "scripts/koyeb-cli-table")


def _run(*argv: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(argv, cwd=cwd, capture_output=True, text=True, check=False)


def test_ruff_lint_is_clean(repo_root: Path) -> None:
    result = _run(str(BIN / "ruff"), "check", "--no-cache", *LINTED, cwd=repo_root)
    assert result.returncode == 0, result.stdout + result.stderr


def test_ruff_format_is_clean(repo_root: Path) -> None:
    result = _run(str(BIN / "ruff"), "format", "--no-cache", "--check", *LINTED, cwd=repo_root)
    assert result.returncode == 0, result.stdout + result.stderr


def test_mypy_strict_is_clean(repo_root: Path) -> None:
    result = _run(str(BIN / "mypy"), "--no-incremental", cwd=repo_root)
    assert result.returncode == 0, result.stdout + result.stderr
