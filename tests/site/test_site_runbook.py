"""runbooks/force-koyeb-rebuild.sh: refuses to run without KOYEB_TOKEN, and otherwise
runs `cachebust rebuild` with the extra arguments, from the repository root."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

SCRIPT = "runbooks/force-koyeb-rebuild.sh"


@pytest.fixture
def stub(tmp_path: Path) -> Path:
    """A stand-in for the cachebust command: records its arguments, cwd and exit code."""
    path = tmp_path / "cachebust-stub"
    path.write_text(
        "#!/usr/bin/env bash\n"
        'printf "%s\\n" "$@" > "$STUB_LOG"\n'
        'pwd > "$STUB_LOG.cwd"\n'
        '[[ "${KOYEB_TOKEN:-}" == test-token ]] && echo token-in-env > "$STUB_LOG.env"\n'
        'exit "${STUB_EXIT:-0}"\n'
    )
    path.chmod(0o755)
    return path


def _run(repo_root: Path, stub: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    base = {k: v for k, v in os.environ.items() if k != "KOYEB_TOKEN"}
    return subprocess.run(
        [str(repo_root / SCRIPT), *args],
        cwd=stub.parent,
        env={**base, "CACHEBUST_CLI": str(stub), "STUB_LOG": str(stub.parent / "log"), **env},
        capture_output=True,
        text=True,
        check=False,
    )


def test_without_token_it_explains_and_exits_3(repo_root: Path, stub: Path) -> None:
    result = _run(repo_root, stub, "--no-wait")
    assert result.returncode == 3
    assert result.stderr.splitlines()[0] == "Error: KOYEB_TOKEN is not set."
    assert "  Why: " in result.stderr and "  Fix: " in result.stderr
    assert "read -rs KOYEB_TOKEN && export KOYEB_TOKEN" in result.stderr
    assert not (stub.parent / "log").exists(), "cachebust must not run without a token"


def test_empty_token_counts_as_missing(repo_root: Path, stub: Path) -> None:
    assert _run(repo_root, stub, KOYEB_TOKEN="").returncode == 3


def test_runs_cachebust_rebuild_with_extra_args(repo_root: Path, stub: Path) -> None:
    result = _run(repo_root, stub, "--timeout", "15m", "--dry-run", "a b", KOYEB_TOKEN="test-token")
    assert result.returncode == 0, result.stderr
    log = stub.parent / "log"
    assert log.read_text().splitlines() == ["rebuild", "--timeout", "15m", "--dry-run", "a b"]
    assert Path(log.with_suffix(".cwd").read_text().strip()) == repo_root
    assert (stub.parent / "log.env").read_text().strip() == "token-in-env"


def test_exit_status_is_cachebusts(repo_root: Path, stub: Path) -> None:
    assert _run(repo_root, stub, KOYEB_TOKEN="test-token", STUB_EXIT="5").returncode == 5


def test_missing_cli_is_explained(repo_root: Path, stub: Path) -> None:
    result = _run(
        repo_root, stub, KOYEB_TOKEN="test-token", CACHEBUST_CLI=str(stub.parent / "nowhere")
    )
    assert result.returncode == 127
    assert "make install" in result.stderr


def test_header_documents_usage_and_environment(repo_root: Path) -> None:
    lines = (repo_root / SCRIPT).read_text().splitlines()
    assert lines[0] == "#!/usr/bin/env bash"
    header = "\n".join(line for line in lines if line.startswith("#"))
    for part in ("Purpose", "Prerequisites", "Usage", "Environment", "Exit status", "KOYEB_TOKEN"):
        assert part in header
    assert "set -euo pipefail" in lines
