"""When and how long to wait before trying a request again (built on tenacity).

Idempotent requests are retried on HTTP 429 (after the server's `Retry-After`),
5xx answers, network failures and unreadable answers, with capped exponential back-off and jitter.
Sleeping goes through the client's `Clock`, so a fake clock makes retries instant.

```python
for attempt in retrying(clock):
    with attempt:
        send()
```
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from email.utils import parsedate_to_datetime

import tenacity

from cachebust._clock import Clock
from cachebust._errors import NetworkError, RateLimited, ServerError

#: Total tries of one request, the first included.
ATTEMPTS = 4
#: A `Retry-After` longer than this is not waited out: the error is raised instead.
MAX_RETRY_AFTER = 60.0
#: A read that failed with one of these is worth repeating: it changes nothing on Koyeb.
RETRYABLE_STATUSES = frozenset({500, 502, 503, 504})

# 0.5 s, 1 s, 2 s (each plus up to 0.5 s of jitter, so clients do not retry in step),
# never more than 8 s: an unreachable API is reported within about five seconds.
_backoff = tenacity.wait_exponential_jitter(multiplier=0.5, max=8, exp_base=2, jitter=0.5)


def is_transient(exc: BaseException) -> bool:
    """Whether sending the same idempotent request again may succeed."""
    if isinstance(exc, RateLimited):
        return exc.retry_after is None or exc.retry_after <= MAX_RETRY_AFTER
    if isinstance(exc, ServerError):
        # A 2xx ServerError is a truncated or garbled body: for a read, as good as a drop.
        return exc.status in RETRYABLE_STATUSES or (exc.status or 500) < 300
    return isinstance(exc, NetworkError)


def _wait(state: tenacity.RetryCallState) -> float:
    exc = state.outcome.exception() if state.outcome else None
    if isinstance(exc, RateLimited) and exc.retry_after is not None:
        return exc.retry_after
    return float(_backoff(state))


def retrying(
    clock: Clock,
    *,
    retry_on: Callable[[BaseException], bool] = is_transient,
    attempts: int = ATTEMPTS,
) -> tenacity.Retrying:
    """A tenacity loop that retries `retry_on` errors and re-raises the last one."""
    return tenacity.Retrying(
        stop=tenacity.stop_after_attempt(attempts),
        wait=_wait,
        retry=tenacity.retry_if_exception(retry_on),
        sleep=clock.sleep,
        reraise=True,
    )


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
