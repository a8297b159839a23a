"""The YAML files the site build reads (the contract, `action.yml`, the deploy workflow),
parsed with libyaml when PyYAML has it and once per version of each file: the
pure-Python parser cost a third of a second of every build on the contract alone."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

from cachebust._yaml import safe_load


def load(path: Path) -> Any:
    """The data in the YAML file at `path`; parsed again when the file changes (as under
    `make serve`)."""
    return _parsed(path, path.stat().st_mtime_ns)


@cache
def _parsed(path: Path, mtime_ns: int) -> Any:
    return safe_load(path.read_text(encoding="utf-8"))
