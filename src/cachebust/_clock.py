"""Time as the library sees it, so waiting can run on a simulated clock.

The client's polling and retry back-off call `clock.sleep()` and `clock.monotonic()`
rather than the `time` module directly; the fake Koyeb API's `FakeClock` satisfies
the same protocol, which is how a three-minute deployment is watched in a
millisecond in tests and benchmarks.

Against a fake served faster than real time (`cachebust fake-api --speed 200`),
`CACHEBUST_SPEED` makes cachebust's own waits (polls, back-off, `--timeout`) as
fast, so a demo or a doc-test takes the fake's simulated time and no more. What
is printed stays the same; `now()` stays the real time.
"""

from __future__ import annotations

import math
import os
import time
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Protocol

from cachebust._errors import ConfigError

SPEED_ENV = "CACHEBUST_SPEED"


class Clock(Protocol):
    def now(self) -> datetime:
        """The current time, timezone-aware, in UTC."""
        ...

    def monotonic(self) -> float:
        """Seconds on a clock that never goes backwards."""
        ...

    def sleep(self, seconds: float) -> None:
        """Wait `seconds`."""
        ...


class SystemClock:
    """The real clock; with `speed` above 1, its seconds pass that many times faster."""

    def __init__(self, speed: float = 1.0) -> None:
        self.speed = speed

    def now(self) -> datetime:
        return datetime.now(UTC)

    def monotonic(self) -> float:
        return time.monotonic() * self.speed

    def sleep(self, seconds: float) -> None:
        time.sleep(seconds / self.speed)


def system_clock(environ: Mapping[str, str] | None = None) -> Clock:
    """The real clock, at the speed `CACHEBUST_SPEED` sets (default 1)."""
    raw = (os.environ if environ is None else environ).get(SPEED_ENV, "").strip()
    if not raw:
        return SystemClock()
    try:
        speed = float(raw)
    except ValueError:
        speed = math.nan
    if not (math.isfinite(speed) and speed >= 1):
        raise ConfigError(
            what=f"Invalid {SPEED_ENV} {raw!r}.",
            why=f"{SPEED_ENV} is how many simulated seconds pass per real second, at least 1.",
            fix="Set it to the --speed of the fake Koyeb API you run against, or unset it.",
        )
    return SystemClock(speed)
