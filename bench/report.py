"""The one format of a benchmark line: `name: value (ratio to baseline)`."""

from __future__ import annotations


def line(name: str, value: float, baseline: float, *, unit: str, fmt: str, against: str) -> str:
    """`build: 0.84 s (1.31x the Material-only build's 0.64 s)`."""
    ratio = f"{value / baseline:.2f}x" if baseline else "n/a"
    shown, base = format(value, fmt), format(baseline, fmt)
    return f"{name}: {shown}{unit} ({ratio} {against}'s {base}{unit})"
