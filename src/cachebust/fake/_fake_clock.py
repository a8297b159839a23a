"""The fake's clock: simulated time the caller controls, or real time times a speed factor.

In-process tests drive a deployment through its whole life by calling
`advance()`; the HTTP server instead lets the clock follow real time, faster
(`speed` > 1) or frozen (`speed` 0, moved only by `advance()` or the admin route).
"""

from __future__ import annotations

import threading
import time
from datetime import UTC, datetime, timedelta


class FakeClock:
    """A `cachebust._clock.Clock` whose time moves only when told to, or at `speed` x real time.

    ```python
    clock = FakeClock()
    start = clock.now()
    clock.sleep(30)  # returns at once: simulated waiting
    assert clock.now() - start == timedelta(seconds=30)
    ```

    Parameters:
        start: the initial time (timezone-aware); defaults to the current UTC time,
            so real clients that compute "the last five minutes" still see the fake's logs.
        speed: 0 for a manual clock; otherwise simulated seconds per real second.
    """

    def __init__(self, start: datetime | None = None, *, speed: float = 0.0) -> None:
        origin = start if start is not None else datetime.now(UTC).replace(microsecond=0)
        if origin.tzinfo is None:
            raise ValueError("FakeClock needs a timezone-aware start time")
        self._lock = threading.Lock()
        self._origin = origin.astimezone(UTC)
        self._offset = 0.0  # simulated seconds elapsed before the current speed took over
        self._speed = 0.0
        self._real_mark = time.monotonic()
        self.set_speed(speed)

    @property
    def speed(self) -> float:
        """Simulated seconds per real second; 0 means the clock only moves when advanced."""
        return self._speed

    def set_speed(self, speed: float) -> None:
        """Switch between manual (0) and real-time (> 0) mode without jumping."""
        if speed < 0:
            raise ValueError("speed must be 0 (manual) or positive")
        with self._lock:
            self._offset = self._elapsed_locked()
            self._real_mark = time.monotonic()
            self._speed = speed

    def now(self) -> datetime:
        return self._origin + timedelta(seconds=self.monotonic())

    def monotonic(self) -> float:
        with self._lock:
            return self._elapsed_locked()

    def sleep(self, seconds: float) -> None:
        """Wait `seconds` of simulated time: instantly when manual, scaled when real-time."""
        if seconds <= 0:
            return
        speed = self._speed
        if speed == 0:
            self.advance(seconds)
        else:
            time.sleep(seconds / speed)

    def advance(self, seconds: float) -> None:
        """Move simulated time forward by `seconds` (works in either mode)."""
        if seconds < 0:
            raise ValueError("time cannot go backwards")
        with self._lock:
            self._offset += seconds

    def _elapsed_locked(self) -> float:
        return self._offset + (time.monotonic() - self._real_mark) * self._speed
