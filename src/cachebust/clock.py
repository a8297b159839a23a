"""Time as the library sees it, so waiting can run on a simulated clock.

The client's polling and retry back-off call `clock.sleep()` and `clock.monotonic()`
rather than the `time` module directly; the fake Koyeb API's `FakeClock` satisfies
the same protocol, which is how a three-minute deployment is watched in a
millisecond in tests and benchmarks.
"""

from __future__ import annotations

import time
from datetime import UTC, datetime
from typing import Protocol


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
    """The real clock."""

    def now(self) -> datetime:
        return datetime.now(UTC)

    def monotonic(self) -> float:
        return time.monotonic()

    def sleep(self, seconds: float) -> None:
        time.sleep(seconds)


SYSTEM_CLOCK: Clock = SystemClock()
