"""Debian's Chromium, as the browser tests and the browser benchmarks start it."""

from __future__ import annotations

from pathlib import Path

CHROMIUM = Path("/usr/bin/chromium")

# Root needs --no-sandbox; a closed network refuses Chromium's background
# connections (updates, sync, QUIC probes), so those are switched off. Playwright adds
# --headless and a fresh profile itself; Lighthouse's launcher adds only the profile.
FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def require() -> Path:
    if not CHROMIUM.exists():
        raise SystemExit(
            f"bench: Debian's chromium package is missing ({CHROMIUM}): "
            "install it with `sudo apt-get install -y chromium` (or run `make bench` as root)"
        )
    return CHROMIUM
