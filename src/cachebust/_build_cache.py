"""Did a build use the build cache? An inference from its build log, the one place it
shows: no Koyeb field records it (contract: api-build-cache-report), and Koyeb does not
document its build log's format (contract: api-build-log-format). When the log is
BuildKit's plain progress, a Dockerfile step served from the cache is followed by a
`#N CACHED` line (`cachebust._buildkit`).

`cachebust doctor` (its `remote.build-cache` check) and `cachebust rebuild` (once the
new deployment is HEALTHY) both say it with `CacheVerdict.sentence`, in the same words.

```python
verdict = read_build_cache(client, deployment)
verdict.code                          # "uncached", "cached:5-of-5" or "unknown"
print(verdict.sentence("the build of 4f5e1c1a"))
```
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import timedelta
from typing import Any, Literal

from cachebust._buildkit import LoggedStep, layer_steps, parse_progress
from cachebust._logs import LogSource, read_logs
from cachebust._models import Deployment, LogEntry

#: How every verdict says where it comes from.
INFERRED = "inferred from its build log's `#N CACHED` lines"
#: How long before a deployment's creation its build log is read from: a margin for a
#: server clock a little ahead of or behind the lines' timestamps.
CLOCK_MARGIN = timedelta(minutes=1)
#: At most this many characters of a step's instruction are quoted.
_QUOTED = 40

CacheKind = Literal["uncached", "cached", "unknown"]


@dataclass(frozen=True, slots=True)
class CacheVerdict:
    """The Dockerfile steps of one build (FROMs aside) and which came from the cache."""

    steps: tuple[LoggedStep, ...]

    @property
    def cached(self) -> list[LoggedStep]:
        return [step for step in self.steps if step.cached]

    @property
    def kind(self) -> CacheKind:
        if not self.steps:
            return "unknown"
        return "cached" if self.cached else "uncached"

    @property
    def code(self) -> str:
        """Machine-readable: `uncached`, `cached:N-of-M` (N steps of M from the cache), or
        `unknown` (no BuildKit step lines to tell from)."""
        if self.kind == "cached":
            return f"cached:{len(self.cached)}-of-{len(self.steps)}"
        return self.kind

    def sentence(self, subject: str) -> str:
        """The verdict as one sentence about `subject` (e.g. "the latest build")."""
        who = subject[:1].upper() + subject[1:]
        total, cached = len(self.steps), self.cached
        if self.kind == "unknown":
            return (
                f"{who} left no BuildKit step lines (`#N [i/n] ...`) in its build log, so "
                "whether it used the cache cannot be told."
            )
        if not cached:
            return f"{who} ran all {total} Dockerfile steps without the cache ({INFERRED})."
        if len(cached) == total:
            return f"{who} took all {total} Dockerfile steps from the cache ({INFERRED})."
        listed = ", ".join(f"`{_quoted(step.text)}`" for step in cached)
        return (
            f"{who} took {len(cached)} of {total} Dockerfile steps from the cache: {listed} "
            f"({INFERRED})."
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "verdict": self.code,
            "steps": len(self.steps),
            "cached_steps": len(self.cached),
            "cached": [step.text for step in self.cached],
            "inferred": True,
        }


def cache_verdict(lines: Iterable[str]) -> CacheVerdict:
    """The verdict on a build log's lines."""
    return CacheVerdict(tuple(layer_steps(parse_progress(lines))))


def read_build_cache(client: LogSource, build: Deployment) -> CacheVerdict:
    """Read the build log of `build` (the deployment that built the image) and judge it."""
    return cache_verdict(entry.msg for entry in read_build_log(client, build))


def read_build_log(
    client: LogSource,
    build: Deployment,
    *,
    follow: bool = False,
    give_up: Callable[[], bool] | None = None,
) -> Iterator[LogEntry]:
    """The build log of `build`, from its creation. With `follow`, new lines until its
    build is over (`Deployment.build_over`, as `cachebust logs --tail --type build`
    decides it) or `give_up()` says to stop."""
    start = build.created_at - CLOCK_MARGIN if build.created_at else None

    def over() -> bool:
        return (give_up is not None and give_up()) or client.get_deployment(build.id).build_over

    return read_logs(
        client,
        type="build",
        deployment_id=build.id,
        start=start,
        follow=follow,
        until=over if follow else None,
    )


def _quoted(text: str) -> str:
    return text if len(text) <= _QUOTED else text[: _QUOTED - 3].rstrip() + "..."
