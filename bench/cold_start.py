"""`cachebust --version` and `cachebust rebuild --dry-run` from a cold process, beside
Python importing httpx and nothing else.

httpx is the one dependency every command that talks to Koyeb needs; a CLI that only
prints its version should cost a fraction of that (its commands are imported lazily),
and a dry run, which goes through the client with a recording transport, about that.
"""

from __future__ import annotations

import sys
from pathlib import Path

from bench.report import line
from bench.sites import REPO
from bench.timing import median_seconds

RUNS = 15
BIN = Path(sys.executable).parent


def run() -> list[str]:
    version = [str(BIN / "cachebust"), "--version"]
    dry_run = [str(BIN / "cachebust"), "rebuild", "--dry-run"]
    httpx = [sys.executable, "-c", "import httpx"]
    version_s, dry_run_s, httpx_s = median_seconds([version, dry_run, httpx], runs=RUNS, cwd=REPO)
    return [
        line(
            f"{name} cold start, median of {RUNS}",
            seconds * 1000,
            httpx_s * 1000,
            unit=" ms",
            fmt=".0f",
            against='`python -c "import httpx"`',
        )
        for name, seconds in (
            ("cachebust --version", version_s),
            ("cachebust rebuild --dry-run", dry_run_s),
        )
    ]
