"""Configured values (`[tool.cachebust]`) written by hand.

Pages under `docs/` never write one: they use the macros (`{{ target }}`,
`{{ build_arg }}`, ...), so a changed value changes every page. `README.md` is not
rendered by MkDocs and must write them; each place it does is listed in
`README_VALUES`, and each must find its value there and find the configured one.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from cachebust._config import Settings

_JINJA = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", re.DOTALL)


@dataclass(frozen=True, slots=True)
class HandWritten:
    """A place README.md writes a configured value: the setting and how to find it."""

    setting: str
    pattern: re.Pattern[str]


README_VALUES = (
    HandWritten("service", re.compile(r"the sample `(?P<value>[^`]+)` service")),
    HandWritten("build_arg", re.compile(r"`ARG (?P<value>[^`=\s]+)`")),
)


def literal_values(path: Path, text: str, settings: Settings) -> list[str]:
    """Configured values a docs page writes by hand instead of through a macro."""
    distinctive = {
        "app": settings.app,
        "target": settings.target,
        "dockerfile": settings.dockerfile,
        "build_arg": settings.build_arg,
        "api_url": settings.api_url,
    }
    # Longest first, and each found value blanked: `app/service` is not also `app`.
    ordered = sorted(distinctive.items(), key=lambda item: -len(item[1]))
    problems = []
    for number, line in enumerate(text.splitlines(), 1):
        bare = _JINJA.sub("", line)
        for name, value in ordered:
            bare, found = re.subn(rf"(?<![\w./-]){re.escape(value)}(?![\w-])", " ", bare)
            if found:
                problems.append(f"{path}:{number}: writes {value!r} by hand: use {{{{ {name} }}}}")
        if f"`{settings.service}`" in bare:
            problems.append(
                f"{path}:{number}: writes {settings.service!r} by hand: use {{{{ service }}}}"
            )
    return problems


def readme_values(path: Path, text: str, settings: Settings) -> list[str]:
    """Each hand-written value of README.md against `[tool.cachebust]`."""
    problems = []
    for place in README_VALUES:
        found = list(_found(text, place))
        if not found:
            problems.append(
                f"{path}: no longer writes the {place.setting} where "
                f"guidetools.values.README_VALUES expects it ({place.pattern.pattern!r}): "
                "update the list"
            )
        configured = getattr(settings, place.setting)
        for number, value in found:
            if value != configured:
                problems.append(
                    f"{path}:{number}: says {place.setting} {value!r}, but [tool.cachebust] "
                    f"says {configured!r}"
                )
    return problems


def _found(text: str, place: HandWritten) -> Iterator[tuple[int, str]]:
    for match in place.pattern.finditer(text):
        yield text.count("\n", 0, match.start()) + 1, match["value"]
