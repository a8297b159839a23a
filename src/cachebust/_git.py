"""The local git checkout, read with `git` itself: which commit HEAD is, what the local
copy of a branch points at, and how two commits relate.

Only local refs are read; nothing is fetched, so an answer reflects the last `git
fetch`. Each question is one short `git` run with a timeout; a folder that is not a
checkout, a missing `git` or a command that fails all read as "not known" (None),
never as an error, because the callers treat the comparison as a bonus.

```python
checkout = Checkout.at(Path("."))
if checkout is not None:
    checkout.head()                    # "3f2a..." (40 hex digits)
    checkout.resolve("origin/main")    # None without that remote-tracking ref
```
"""

from __future__ import annotations

import os
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

#: Seconds one git command may take: every question is local, so a slow answer means
#: something is wrong (a hung filesystem), and the caller goes on without it.
TIMEOUT = 5.0

_SHA = re.compile(r"[0-9a-f]{40}")


def is_commit_id(text: str) -> bool:
    """Whether `text` is a full commit id: 40 lowercase hexadecimal digits."""
    return _SHA.fullmatch(text) is not None


def short(sha: str) -> str:
    """The 7-character abbreviation git and GitHub print."""
    return sha[:7]


def _git(folder: Path, *args: str) -> str | None:
    """`git -C folder args...`'s stdout, stripped; None when it fails or cannot run."""
    environ = {**os.environ, "GIT_TERMINAL_PROMPT": "0", "GIT_OPTIONAL_LOCKS": "0"}
    try:
        done = subprocess.run(
            ["git", "-C", str(folder), *args],
            capture_output=True,
            text=True,
            timeout=TIMEOUT,
            env=environ,
            stdin=subprocess.DEVNULL,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired, ValueError):
        return None
    return done.stdout.strip() if done.returncode == 0 else None


@dataclass(frozen=True, slots=True)
class Checkout:
    """A git working tree, by its top folder."""

    root: Path

    @classmethod
    def at(cls, folder: Path) -> Checkout | None:
        """The checkout holding `folder`; None when it is in none (or git is missing)."""
        top = _git(folder, "rev-parse", "--show-toplevel")
        return cls(Path(top)) if top else None

    def resolve(self, revision: str) -> str | None:
        """The commit id `revision` names (`HEAD`, `origin/main`, `HEAD~2`, a hash)."""
        if revision.startswith("-"):
            return None  # never an option to git
        found = _git(self.root, "rev-parse", "--verify", "--quiet", f"{revision}^{{commit}}")
        return found if found and is_commit_id(found) else None

    def head(self) -> str | None:
        return self.resolve("HEAD")

    def branch(self) -> str | None:
        """The branch HEAD is on; None when HEAD is detached (as in many CI checkouts)."""
        return _git(self.root, "symbolic-ref", "--short", "--quiet", "HEAD") or None

    def history(self, revision: str, count: int) -> list[str]:
        """Up to `count` commits: `revision`, then its first parents, newest first."""
        if revision.startswith("-"):
            return []
        found = _git(self.root, "rev-list", "--first-parent", f"--max-count={count}", revision)
        return [line for line in (found or "").splitlines() if is_commit_id(line)]

    def has(self, sha: str) -> bool:
        return is_commit_id(sha) and self.resolve(sha) == sha

    def is_ancestor(self, older: str, newer: str) -> bool:
        """Whether `older` is `newer` or in its history (both must be commit ids)."""
        if not (is_commit_id(older) and is_commit_id(newer)):
            return False
        return _git(self.root, "merge-base", "--is-ancestor", older, newer) is not None

    def count_between(self, older: str, newer: str) -> int | None:
        """How many commits `newer` has that `older` has not (`git rev-list --count`)."""
        if not (is_commit_id(older) and is_commit_id(newer)):
            return None
        found = _git(self.root, "rev-list", "--count", f"{older}..{newer}")
        return int(found) if found and found.isdigit() else None
