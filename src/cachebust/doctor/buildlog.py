"""Reading a build's cache use from its BuildKit plain-progress log.

No Koyeb field says whether a build used the cache; the builder's own report does:
each step prints `#N [stage i/n] INSTRUCTION ...`, and a step served from the cache
is followed by `#N CACHED`. The same parser reads the real builder's output in the
image-build proof (tests/image_build), which is what keeps it honest.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

_TITLE = re.compile(
    r"^#(?P<vertex>\d+) \[(?:(?P<stage>\S+) )?(?P<index>\d+)/(?P<total>\d+)\] (?P<text>.*)$"
)
_CACHED = re.compile(r"^#(?P<vertex>\d+) CACHED\s*$")


@dataclass(frozen=True, slots=True)
class BuildStep:
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


def parse_progress(lines: Iterable[str]) -> list[BuildStep]:
    """The Dockerfile steps of a plain-progress log, in the order they were first printed."""
    titles: dict[int, tuple[str | None, int, str]] = {}
    cached: set[int] = set()
    for raw in lines:
        line = raw.rstrip("\r\n")
        if match := _TITLE.match(line):
            vertex = int(match["vertex"])
            titles.setdefault(vertex, (match["stage"], int(match["index"]), match["text"]))
        elif match := _CACHED.match(line):
            cached.add(int(match["vertex"]))
    return [
        BuildStep(vertex, stage, index, text, vertex in cached)
        for vertex, (stage, index, text) in titles.items()
    ]


def layer_steps(steps: Iterable[BuildStep]) -> list[BuildStep]:
    """The steps that make layers from the Dockerfile (every step but the FROMs), whose
    CACHED marks say whether the cache was used."""
    return [step for step in steps if step.instruction != "FROM"]
