"""BuildKit's plain progress output (`docker build --progress=plain`): its line format,
written by the fake Koyeb API's build log and read back by the doctor, by `cachebust
rebuild`'s cache verdict and by the image-build proof, which reads a real builder's
output with the same parser and so keeps it honest.

Each step of a build (a vertex) is numbered `#N`. Its first line is its title,
`#N [stage i/n] INSTRUCTION ...` for a Dockerfile step, `#N [internal] ...` or
`#N exporting to image` for the builder's own; then the step's output, each line
prefixed with the seconds since the step started (`#N 0.153 Collecting ...`); then
`#N CACHED` when the step was served from the build cache, `#N DONE 1.2s` when it ran,
or `#N ERROR: ...` when it failed.

```python
title(8, "[4/6] RUN pip install ...")   # "#8 [4/6] RUN pip install ..."
[s.cached for s in parse_progress(log)]
```
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

_TITLE = re.compile(
    r"^#(?P<vertex>\d+) \[(?:(?P<stage>\S+) )?(?P<index>\d+)/(?P<total>\d+)\] (?P<text>.*)$"
)
_CACHED = re.compile(r"^#(?P<vertex>\d+) CACHED\s*$")


def title(vertex: int, text: str) -> str:
    return f"#{vertex} {text}"


def cached(vertex: int) -> str:
    return f"#{vertex} CACHED"


def done(vertex: int, seconds: float) -> str:
    return f"#{vertex} DONE {seconds:.1f}s"


def error(vertex: int, why: str) -> str:
    return f"#{vertex} ERROR: {why}"


def output(vertex: int, text: str, *, elapsed: float | None = None) -> str:
    """A line a step printed; a RUN's carries the seconds since the step started."""
    return f"#{vertex} {text}" if elapsed is None else f"#{vertex} {stamp(elapsed)} {text}"


def stamp(seconds: float) -> str:
    """BuildKit's elapsed-time prefix: four significant digits."""
    if seconds < 10:
        return f"{seconds:.3f}"
    return f"{seconds:.2f}" if seconds < 100 else f"{seconds:.1f}"


@dataclass(frozen=True, slots=True)
class LoggedStep:
    """One Dockerfile step of a build, as the builder reported it."""

    vertex: int
    #: The stage's name (`deps`, `stage-1`), None in a single-stage build.
    stage: str | None
    #: Position in its stage, 1 for the FROM.
    index: int
    #: The instruction as printed, e.g. `RUN echo "cache bust: 2"`.
    text: str
    cached: bool

    @property
    def instruction(self) -> str:
        return self.text.split(" ", 1)[0].upper()


def parse_progress(lines: Iterable[str]) -> list[LoggedStep]:
    """The Dockerfile steps of a plain-progress log, in the order they were first printed."""
    titles: dict[int, tuple[str | None, int, str]] = {}
    served: set[int] = set()
    for raw in lines:
        line = raw.rstrip("\r\n")
        if match := _TITLE.match(line):
            vertex = int(match["vertex"])
            titles.setdefault(vertex, (match["stage"], int(match["index"]), match["text"]))
        elif match := _CACHED.match(line):
            served.add(int(match["vertex"]))
    return [
        LoggedStep(vertex, stage, index, text, vertex in served)
        for vertex, (stage, index, text) in titles.items()
    ]


def layer_steps(steps: Iterable[LoggedStep]) -> list[LoggedStep]:
    """The steps that make layers from the Dockerfile (every step but the FROMs), whose
    CACHED marks say whether the cache was used."""
    return [step for step in steps if step.instruction != "FROM"]
