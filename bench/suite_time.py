"""The whole suite (`make test`'s pytest run) against the 60-second goal, on this machine."""

from __future__ import annotations

import subprocess
import sys
import time

from bench.report import line
from bench.sites import REPO

GOAL = 60.0


def run() -> list[str]:
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider"],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=False,
    )
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"bench: the suite failed:\n{done.stdout[-3000:]}")
    return [line("make test's pytest run", elapsed, GOAL, unit=" s", fmt=".0f", against="the goal")]
