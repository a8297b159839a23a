"""Wall-clock timing of whole commands, each run in a fresh process."""

from __future__ import annotations

import os
import statistics
import subprocess
import time
from collections.abc import Sequence
from pathlib import Path

Command = Sequence[str]


def _once(argv: Command, cwd: Path) -> float:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    start = time.perf_counter()
    result = subprocess.run(argv, cwd=cwd, env=env, capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - start
    if result.returncode != 0:
        raise SystemExit(f"bench: `{' '.join(argv)}` failed:\n{result.stderr}")
    return elapsed


def median_seconds(commands: Sequence[Command], *, runs: int, cwd: Path) -> list[float]:
    """The median time of each command over `runs` runs.

    The commands take turns, so a slow spell of the machine hits them alike, and each
    runs once unmeasured first so that bytecode caches exist for every measured run.
    """
    for argv in commands:
        _once(argv, cwd)
    times: list[list[float]] = [[] for _ in commands]
    for _ in range(runs):
        for argv, measured in zip(commands, times, strict=True):
            measured.append(_once(argv, cwd))
    return [statistics.median(measured) for measured in times]
