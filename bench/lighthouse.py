"""Lighthouse scores of the home and manual-methods pages, beside the Material-only site.

Lighthouse 12 (npm, pinned in bench/package-lock.json; version 13 needs Node 22)
drives Debian's Chromium through CHROME_PATH, with its default mobile settings.
The site is served with gzip (bench.site_server), as any real host would serve it.
Scores are the median of a few runs: the performance score moves from run to run.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
from pathlib import Path

from bench.chromium import FLAGS, require
from bench.report import line
from bench.site_server import serve
from bench.sites import Sites

LIGHTHOUSE = Path(__file__).resolve().parent / "node_modules" / ".bin" / "lighthouse"
CATEGORIES = ["performance", "accessibility", "best-practices", "seo"]
PAGES = {"home": "", "manual-methods": "how-to/manual/"}
RUNS = 3


def _scores(url: str) -> dict[str, float]:
    """One Lighthouse run: each category's score out of 100."""
    result = subprocess.run(
        [
            str(LIGHTHOUSE),
            url,
            "--quiet",
            "--output=json",
            "--output-path=stdout",
            f"--only-categories={','.join(CATEGORIES)}",
            f"--chrome-flags={' '.join(['--headless', *FLAGS])}",
        ],
        env={**os.environ, "CHROME_PATH": str(require())},
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise SystemExit(f"bench: lighthouse failed on {url}:\n{result.stderr}")
    categories = json.loads(result.stdout)["categories"]
    return {name: categories[name]["score"] * 100 for name in CATEGORIES}


def _median_scores(site: Path, path: str) -> dict[str, float]:
    with serve(site) as url:
        runs = [_scores(url + path) for _ in range(RUNS)]
    return {name: statistics.median(run[name] for run in runs) for name in CATEGORIES}


def run(sites: Sites) -> list[str]:
    if not LIGHTHOUSE.exists():
        raise SystemExit(f"bench: {LIGHTHOUSE} is missing: run scripts/bench-packages")
    lines = []
    for page, path in PAGES.items():
        ours, baseline = _median_scores(sites.guide, path), _median_scores(sites.baseline, path)
        lines += [
            line(
                f"lighthouse {page} {name}, median of {RUNS}",
                ours[name],
                baseline[name],
                unit="",
                fmt=".0f",
                against="the Material-only site",
            )
            for name in CATEGORIES
        ]
    return lines
