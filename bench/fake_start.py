"""`cachebust fake-api`: how soon it prints its URL, against the one-second goal."""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
from pathlib import Path

from bench.report import line
from bench.sites import REPO

RUNS = 5
GOAL = 1.0


def _until_url() -> float:
    start = time.perf_counter()
    process = subprocess.Popen(
        [str(Path(sys.executable).parent / "cachebust"), "fake-api", "--speed", "0"],
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        assert process.stdout is not None
        url = process.stdout.readline()
        elapsed = time.perf_counter() - start
    finally:
        process.terminate()
        process.wait()
    if not url.startswith("http://127.0.0.1:"):
        raise SystemExit("bench: cachebust fake-api printed no URL")
    return elapsed


def run() -> list[str]:
    seconds = statistics.median(_until_url() for _ in range(RUNS))
    return [
        line(
            f"cachebust fake-api until its URL, median of {RUNS}",
            seconds,
            GOAL,
            unit=" s",
            fmt=".2f",
            against="the goal",
        )
    ]
