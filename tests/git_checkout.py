"""Throwaway git checkouts for tests: created under a test's own tmp_path, with an
identity and a branch given on the command line, so no user or system git setting is
read or needed."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

#: Everything a commit needs, and nothing of the machine's git configuration.
_ENV = {
    "GIT_CONFIG_GLOBAL": os.devnull,
    "GIT_CONFIG_NOSYSTEM": "1",
    "GIT_AUTHOR_NAME": "Test",
    "GIT_AUTHOR_EMAIL": "test@example.com",
    "GIT_COMMITTER_NAME": "Test",
    "GIT_COMMITTER_EMAIL": "test@example.com",
}


def git(folder: Path, *args: str) -> str:
    done = subprocess.run(
        ["git", "-C", str(folder), *args],
        env={**os.environ, **_ENV},
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout.strip()


def init(folder: Path, branch: str = "main") -> Path:
    """Make `folder` (created if needed) a checkout on `branch` with its files committed."""
    folder.mkdir(parents=True, exist_ok=True)
    git(folder, "init", "--quiet", f"--initial-branch={branch}")
    commit(folder, "Initial commit")
    return folder


def commit(folder: Path, message: str) -> str:
    """Commit everything in `folder` (an empty commit when nothing changed); its id."""
    git(folder, "add", "--all")
    git(folder, "commit", "--quiet", "--allow-empty", "--message", message)
    return git(folder, "rev-parse", "HEAD")
