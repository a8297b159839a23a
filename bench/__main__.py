"""Print every benchmark figure, one line each: `.venv/bin/python -m bench`."""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from pathlib import Path

from bench import (
    bench_watch,
    build_time,
    cold_start,
    fake_start,
    follow_time,
    install_time,
    lighthouse,
    page_weight,
    server_load,
    suite_time,
)
from bench.sites import build_both


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="cachebust-bench-") as tmp:
        workdir = Path(tmp)
        sites = build_both(workdir)
        benchmarks: list[Callable[[], list[str]]] = [
            lambda: build_time.run(workdir),
            cold_start.run,
            fake_start.run,
            follow_time.run,
            install_time.run,
            bench_watch.run,
            server_load.run,
            lambda: page_weight.run(sites),
            lambda: lighthouse.run(sites),
            suite_time.run,
        ]
        for benchmark in benchmarks:
            # Each line as soon as it is known: the Lighthouse runs take a minute or two.
            for figure in benchmark():
                print(figure, flush=True)


if __name__ == "__main__":
    main()
