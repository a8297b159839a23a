"""Benchmark: `cachebust watch`'s adaptive polling against the official CLI's fixed 2 s loop.

Both watch the same simulated deployment (an uncached build, about three minutes from
redeploy to HEALTHY) on the fake Koyeb API's clock, so the figures do not depend on
the machine. Each is the mean over eight runs that start watching 0, 0.25, ... 1.75 s
after the redeploy: with one fixed start, a 2 s poller could land exactly on the
instant the deployment turns HEALTHY and look better than it is.

    .venv/bin/python -m bench.bench_watch
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from cachebust._client import Client
from cachebust._models import parse_time
from cachebust._watch import AdaptiveInterval, FixedInterval, PollInterval, watch_deployment
from cachebust.fake import FakeKoyeb

BASELINE = FixedInterval(2.0)


PHASES = [quarter / 4 for quarter in range(8)]


def _watch_once(interval: PollInterval, phase: float) -> tuple[int, float, float]:
    """Requests made, seconds from HEALTHY to its report, and the deployment's length."""
    fake = FakeKoyeb()
    with Client(
        fake.token, base_url="http://127.0.0.1:9", transport=fake.transport, clock=fake.clock
    ) as client:
        deployment = client.redeploy(fake.service_id)
        fake.clock.advance(phase)
        polls, reported = 0, fake.clock.now()
        for change in watch_deployment(client, deployment.id, interval=interval):
            polls, reported = change.polls, fake.clock.now()
    record = fake.deployment(deployment.id)
    created, healthy = _time(record["created_at"]), _time(record["succeeded_at"])
    return polls, (reported - healthy).total_seconds(), (healthy - created).total_seconds()


def _mean(measure: Callable[[float], tuple[int, float, float]]) -> tuple[float, float, float]:
    runs = [measure(phase) for phase in PHASES]
    requests, delays, lengths = zip(*runs, strict=True)
    return sum(requests) / len(runs), sum(delays) / len(runs), sum(lengths) / len(runs)


def _time(value: object) -> datetime:
    moment = parse_time(value)
    assert moment is not None, value
    return moment


def _ratio(value: float, baseline: float) -> str:
    return f"{value / baseline:.2f}x" if baseline else "n/a"


def run() -> list[str]:
    """The benchmark's report lines: `name: value (ratio to baseline)`."""
    requests, delay, length = _mean(lambda phase: _watch_once(AdaptiveInterval(), phase))
    base_requests, base_delay, _ = _mean(lambda phase: _watch_once(BASELINE, phase))
    return [
        f"watch requests for a {length / 60:.1f}-minute deployment: {requests:.1f} "
        f"({_ratio(requests, base_requests)} a fixed 2 s poller's {base_requests:.1f})",
        f"watch delay from HEALTHY to its report: {delay:.1f} s "
        f"({_ratio(delay, base_delay)} a fixed 2 s poller's {base_delay:.1f} s)",
    ]


if __name__ == "__main__":
    print("\n".join(run()))
