"""The first run on a fresh machine: the lock installed into a new virtual environment by
uv (what `make install` does) beside pip, each checking every hash.

Both read the same `requirements/lock.txt` from the same registry with warm caches, so
the figure is the installers' own work: resolving nothing, unpacking, linking and
compiling the modules to bytecode (pip does by default; `make install` asks uv to).
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.report import line
from bench.sites import REPO

LOCK = REPO / "requirements" / "lock.txt"
UV = Path(sys.executable).parent / "uv"


def _timed(*commands: list[str]) -> float:
    start = time.perf_counter()
    for argv in commands:
        done = subprocess.run(argv, capture_output=True, text=True, check=False)
        if done.returncode != 0:
            raise SystemExit(f"bench: `{' '.join(argv)}` failed:\n{done.stderr}")
    return time.perf_counter() - start


def run() -> list[str]:
    with tempfile.TemporaryDirectory(prefix="cachebust-install-") as tmp:
        uv_venv, pip_venv = Path(tmp) / "uv", Path(tmp) / "pip"
        sync = ["pip", "sync", "-q", "--compile-bytecode", "--require-hashes"]
        sync += ["--python", str(uv_venv / "bin/python")]
        uv_s = _timed(
            [str(UV), "venv", "-q", "--python", sys.executable, str(uv_venv)],
            [str(UV), *sync, str(LOCK)],
        )
        shutil.rmtree(uv_venv)
        install = ["install", "-q", "--disable-pip-version-check", "--require-hashes", "-r"]
        pip_s = _timed(
            [sys.executable, "-m", "venv", str(pip_venv)],
            [str(pip_venv / "bin/python"), "-m", "pip", *install, str(LOCK)],
        )
    return [
        line(
            "fresh venv with the whole lock, uv (make install)",
            uv_s,
            pip_s,
            unit=" s",
            fmt=".1f",
            against="python -m venv and pip",
        )
    ]
