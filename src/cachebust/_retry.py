"""When and how long to wait before trying a request again.

Idempotent requests are retried on HTTP 429 (after the server's `Retry-After`), 5xx
answers, network failures and unreadable answers, with capped exponential back-off and
jitter. Sleeping goes through the client's `Clock`, so a fake clock makes retries
instant. (A dozen lines of our own rather than a retry library: the loop is all a
request needs, and `cachebust --version` and `--dry-run` start faster without one.)

```python
page = retrying(clock)(send, "GET", "/v1/apps")
```
"""

from __future__ import annotations

import random
import threading
from collections.abc import Callable
from datetime import datetime
from email.utils import parsedate_to_datetime
from typing import Any, TypeVar

from cachebust._clock import Clock
from cachebust._errors import NetworkError, RateLimited, ServerError

#: Total tries of one request, the first included.
ATTEMPTS = 4
#: A `Retry-After` longer than this is not waited out: the error is raised instead.
MAX_RETRY_AFTER = 60.0
#: A read that failed with one of these is worth repeating: it changes nothing on Koyeb.
RETRYABLE_STATUSES = frozenset({500, 502, 503, 504})

#: Seconds before the first retry; each later one waits twice as long, up to MAX_BACKOFF.
FIRST_BACKOFF = 0.5
MAX_BACKOFF = 8.0
#: Up to this many seconds more, at random, so that clients do not retry in step.
JITTER = 0.5

T = TypeVar("T")


def is_transient(exc: BaseException) -> bool:
    """Whether sending the same idempotent request again may succeed."""
    if isinstance(exc, RateLimited):
        return exc.retry_after is None or exc.retry_after <= MAX_RETRY_AFTER
    if isinstance(exc, ServerError):
        # A 2xx ServerError is a truncated or garbled body: for a read, as good as a drop.
        return exc.status in RETRYABLE_STATUSES or (exc.status or 500) < 300
    return isinstance(exc, NetworkError)


def backoff(retry: int, failure: BaseException) -> float:
    """Seconds to wait before retry number `retry` (1 for the first) after `failure`:
    the server's `Retry-After` when it gave one; else 0.5 s, 1 s, 2 s, ... (never more
    than 8 s) plus jitter, so an unreachable API is reported within about five seconds."""
    if isinstance(failure, RateLimited) and failure.retry_after is not None:
        return failure.retry_after
    wait: float = min(FIRST_BACKOFF * 2.0 ** (retry - 1), MAX_BACKOFF)
    return wait + random.uniform(0, JITTER)


class Retrying:
    """Calls a function until it succeeds, a failure is not `retry_on`, or `attempts` ran
    out; then re-raises the last failure."""

    def __init__(
        self, clock: Clock, retry_on: Callable[[BaseException], bool], attempts: int
    ) -> None:
        self.clock = clock
        self.retry_on = retry_on
        self.attempts = attempts

    def __call__(self, function: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        for retry in range(1, self.attempts):
            try:
                return function(*args, **kwargs)
            except Exception as failure:
                if not self.retry_on(failure):
                    raise
                self.clock.sleep(backoff(retry, failure))
        return function(*args, **kwargs)


def retrying(
    clock: Clock,
    *,
    retry_on: Callable[[BaseException], bool] = is_transient,
    attempts: int = ATTEMPTS,
) -> Retrying:
    """A loop that retries `retry_on` failures and re-raises the last one."""
    return Retrying(clock, retry_on, attempts)


class RateGate:
    """One pause shared by every request of a client: after a 429, none is sent until
    its `Retry-After` has passed, so requests made side by side (`cachebust rebuild`
    of several services) back off together instead of each meeting the limit again.

    ```python
    gate = RateGate(clock)
    gate.wait()          # before each request
    gate.hold(2.0)       # on a 429 with Retry-After: 2
    ```
    """

    def __init__(self, clock: Clock) -> None:
        self.clock = clock
        self._until = 0.0
        self._lock = threading.Lock()

    def hold(self, seconds: float | None) -> None:
        """Pause every request for `seconds` from now (a short back-off when None; never
        longer than MAX_RETRY_AFTER, after which the request fails instead)."""
        pause = FIRST_BACKOFF if seconds is None else min(seconds, MAX_RETRY_AFTER)
        with self._lock:
            self._until = max(self._until, self.clock.monotonic() + pause)

    def wait(self) -> None:
        """Return once no pause is in force."""
        while True:
            with self._lock:
                left = self._until - self.clock.monotonic()
            if left <= 0:
                return
            self.clock.sleep(left)


def parse_retry_after(value: str | None, now: datetime) -> float | None:
    """Seconds to wait from a `Retry-After` header (delta-seconds or an HTTP date)."""
    if not value:
        return None
    text = value.strip()
    try:
        return max(0.0, float(text))
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError):
        return None
    return max(0.0, (when - now).total_seconds())
