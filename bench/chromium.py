"""Debian's Chromium, as the browser tests and the browser benchmarks start it."""

from __future__ import annotations

from pathlib import Path

CHROMIUM = Path("/usr/bin/chromium")
# Chromium's headless shell (Debian's chromium-headless-shell): the same Blink and V8
# without the browser's user interface, and what Playwright itself runs for headless
# tests. Loading the guide's pages, it spends about a fifth less CPU than the full
# browser in its headless mode; Lighthouse keeps the full browser, as it asks.
HEADLESS_SHELL = Path("/usr/bin/chromium-headless-shell")

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


def missing(binary: Path, package: str, command: str) -> str:
    """What to say when `binary` is absent: the package that has it and how to install it."""
    return (
        f"Debian's {package} package is missing ({binary}): install it with "
        f"`sudo apt-get install -y {package}` (or run `{command}` as root)"
    )


def require() -> Path:
    if not CHROMIUM.exists():
        raise SystemExit(f"bench: {missing(CHROMIUM, 'chromium', 'make bench')}")
    return CHROMIUM
