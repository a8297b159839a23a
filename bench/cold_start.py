"""`cachebust --version` from a cold process, beside Python importing httpx and nothing else.

httpx is the one dependency every command needs; a CLI that only prints its version
should cost about that, which it does while its commands are imported lazily.
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
    httpx = [sys.executable, "-c", "import httpx"]
    version_s, httpx_s = median_seconds([version, httpx], runs=RUNS, cwd=REPO)
    return [
        line(
            f"cachebust --version cold start, median of {RUNS}",
            version_s * 1000,
            httpx_s * 1000,
            unit=" ms",
            fmt=".0f",
            against='`python -c "import httpx"`',
        )
    ]
