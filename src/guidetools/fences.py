"""The fenced code blocks of a Markdown page: where each is, and what its fence says.

Every fence of a page is found by its lines, nested ones included (inside `=== "Tab"`
content tabs and `!!!`/`???` admonitions a fence is indented; its content is
de-indented here, keeping the page's line numbers), with the `<!-- exempt: reason -->`
marker directly above it, if any. The info string is read as superfences reads it:
`console`, or `{.console .counter-example title="a b"}` (the language, classes,
attributes, and bare options such as `continuation`).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

_FENCE = re.compile(r"^(?P<indent> *)(?P<fence>`{3,}|~{3,})[ \t]*(?P<info>[^`]*?)[ \t]*$")
_EXEMPT = re.compile(r"^\s*<!--\s*exempt:(?P<reason>.*?)-->\s*$")
_FRONT_MATTER = re.compile(r"\A---\n(?P<yaml>.*?\n)---\n", re.DOTALL)
#: Inline code spans (single backticks) of prose, possibly across a line break.
_CODE_SPAN = re.compile(r"(?<!`)`(?!`)(?P<code>[^`\n]+(?:\n[^`\n]+)?)`(?!`)")
#: A word of a superfences info string: `.class`, `#id`, `option`, or `key="a value"`.
_INFO_WORD = re.compile(r"""(?P<word>[^\s=]+(?:=(?:"[^"]*"|'[^']*'|\S*))?)""")
#: `py` and `python3` fences are Python fences too.
_LANGUAGE_ALIASES = {"py": "python", "python3": "python"}


@dataclass(frozen=True, slots=True)
class Fence:
    """One fenced block as written in the page (before macros are rendered)."""

    path: Path
    #: 1-based line of the opening fence.
    line: int
    #: 1-based line of the closing fence (the last line when it is never closed).
    end: int
    #: Spaces before the fence (inside a content tab or an admonition).
    indent: int
    info: str
    language: str
    #: Superfences classes other than the language (`counter-example`, ...).
    classes: frozenset[str]
    #: Bare words of the info string (`continuation`, `notest`, ...).
    options: tuple[str, ...]
    #: The content, de-indented to the fence's own indentation.
    source: str
    #: The reason given by `<!-- exempt: ... -->` directly above, if any.
    exempt: str | None

    @property
    def first_line(self) -> int:
        """1-based line of the content's first line."""
        return self.line + 1


@dataclass(frozen=True, slots=True)
class Marker:
    """An `<!-- exempt: -->` comment that is not directly above a fence."""

    line: int
    reason: str


@dataclass(frozen=True, slots=True)
class Scan:
    fences: tuple[Fence, ...]
    dangling: tuple[Marker, ...] = ()


def front_matter(text: str) -> dict[str, Any]:
    """The page's YAML front matter (the builders give its keys to the page's macros)."""
    match = _FRONT_MATTER.match(text)
    data = yaml.safe_load(match["yaml"]) if match else None
    return data if isinstance(data, dict) else {}


def blank_front_matter(text: str) -> str:
    """The page with its YAML front matter turned into blank lines (line numbers kept)."""
    match = _FRONT_MATTER.match(text)
    if match is None:
        return text
    return "\n" * match.group().count("\n") + text[match.end() :]


def scan(path: Path, text: str) -> Scan:
    """Every fence of a Markdown page, nested or not, and any misplaced exempt marker."""
    lines = text.splitlines()
    fences: list[Fence] = []
    markers: dict[int, str] = {}
    used: set[int] = set()
    index = 0
    while index < len(lines):
        exempt = _EXEMPT.match(lines[index])
        if exempt:
            markers[index] = exempt["reason"].strip()
        opening = _FENCE.match(lines[index])
        if opening is None:
            index += 1
            continue
        indent, fence = len(opening["indent"]), opening["fence"]
        end = index + 1
        while end < len(lines) and not _closes(lines[end], fence):
            end += 1
        body = [_dedent(line, indent) for line in lines[index + 1 : end]]
        reason = markers.get(index - 1)
        if reason is not None:
            used.add(index - 1)
        fences.append(
            _fence(path, (index + 1, end + 1, indent), opening["info"], "\n".join(body), reason)
        )
        index = end + 1
    dangling = tuple(Marker(i + 1, r) for i, r in sorted(markers.items()) if i not in used)
    return Scan(tuple(fences), dangling)


def code_spans(text: str, fences: Sequence[Fence]) -> Iterator[tuple[int, str]]:
    """(1-based line, code) of each inline code span outside the fences."""
    inside = {number for fence in fences for number in range(fence.line, fence.end + 1)}
    prose = "\n".join(
        "" if number in inside else line for number, line in enumerate(text.splitlines(), 1)
    )
    for match in _CODE_SPAN.finditer(prose):
        yield prose.count("\n", 0, match.start()) + 1, " ".join(match["code"].split())


def _closes(line: str, fence: str) -> bool:
    stripped = line.strip()
    return len(stripped) >= len(fence) and set(stripped) == {fence[0]}


def _dedent(line: str, indent: int) -> str:
    spaces = len(line) - len(line.lstrip(" "))
    return line[min(spaces, indent) :]


def _fence(
    path: Path, where: tuple[int, int, int], info: str, source: str, exempt: str | None
) -> Fence:
    language, classes, options = _parse_info(info)
    language = _LANGUAGE_ALIASES.get(language, language)
    return Fence(path, *where, info, language, classes, options, source, exempt)


def _parse_info(info: str) -> tuple[str, frozenset[str], tuple[str, ...]]:
    """Language, classes and bare options of `console` or `{.console .x #id opt key="v"}`."""
    if not info.startswith("{"):
        words = info.split()
        return (words[0] if words else ""), frozenset(), tuple(words[1:])
    words = [match["word"] for match in _INFO_WORD.finditer(info.strip("{}"))]
    dotted = [w[1:] for w in words if w.startswith(".")]
    options = tuple(w for w in words if w[0] not in ".#" and "=" not in w)
    language = dotted[0] if dotted else ""
    return language, frozenset(dotted[1:]), options
