"""`mkdocs build --strict` of the guide beside the same pages on plain Material, and beside
the extensions-only build: the guide's theme and Markdown extensions, none of its code."""

from __future__ import annotations

from pathlib import Path

from bench.report import line
from bench.sites import CONFIG, REPO, build_command, write_baseline_config, write_extensions_config
from bench.timing import median_seconds

RUNS = 7


def run(workdir: Path) -> list[str]:
    guide = build_command(CONFIG, workdir / "timed-guide")
    baseline = build_command(write_baseline_config(workdir), workdir / "timed-baseline")
    extensions = build_command(write_extensions_config(workdir), workdir / "timed-extensions")
    guide_s, baseline_s, extensions_s = median_seconds(
        [guide, baseline, extensions], runs=RUNS, cwd=REPO
    )
    return [
        line(
            f"mkdocs build --strict, median of {RUNS}",
            guide_s,
            baseline_s,
            unit=" s",
            fmt=".2f",
            against="the Material-only build",
        ),
        line(
            f"mkdocs build --strict, median of {RUNS}",
            guide_s,
            extensions_s,
            unit=" s",
            fmt=".2f",
            against="the extensions-only build",
        ),
        # How much of the goal's 1.3x Material's own extensions take, before any of ours.
        line(
            f"extensions-only build (--strict, none of this project's code), median of {RUNS}",
            extensions_s,
            baseline_s,
            unit=" s",
            fmt=".2f",
            against="the Material-only build",
        ),
    ]
