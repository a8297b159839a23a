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


def test_no_file_cites_a_document_outside_the_repository(repo_root: Path) -> None:
    """Notes kept outside the repository were once cited (by section): a reader cannot
    open them. Sources are the contract page's entries, which name what a reader can."""
    import re

    # Spelled apart, so that this file does not match itself.
    outside = re.compile("FACT" + "S|" + r"\.\./shar" + r"ed|/wor" + "k/|(?i:research" + " notes)")
    tracked = _run("git", "ls-files", cwd=repo_root).stdout.split()
    found = [
        f"{name}:{number}: {line.strip()}"
        for name in tracked
        if not name.endswith(("lock.txt", "uv.txt", ".json")) or name.endswith("koyeb-cli.json")
        for number, line in enumerate(_text(repo_root / name).splitlines(), 1)
        if outside.search(line)
    ]
    assert found == []


def _text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except (UnicodeDecodeError, IsADirectoryError):
        return ""
