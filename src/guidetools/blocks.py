"""The code blocks of a guide page, where they are, and which class each one is in.

Every fence of `docs/**/*.md` and `README.md` is found by its lines, nested ones
included (inside `=== "Tab"` content tabs and `!!!`/`???` admonitions a fence is
indented; its content is de-indented here, keeping the page's line numbers).

Conventions (also in CONTRIBUTING.md):

- ```` ```console ```` is a terminal session: `$ command` lines (a trailing `\\`
  continues a command on the next line), each followed by the output the page
  promises. It is executed in bash (see `docs_session`), unless every command in it
  is a `koyeb ...` command (the official CLI cannot be installed here: checked
  against its flag table instead) or a `make ...` command (checked with `make -n`).
- ```` ```{.console .counter-example} ````: commands the official CLI rejects; each
  must FAIL the flag table. ```` ```{.console .counter-example .accepted-but-wrong} ````:
  commands the CLI accepts but that do not do what the old guide claimed; each must
  PASS the flag table, so the page's explanation of why they are wrong stays honest.
- ```` ```python ```` blocks run under pytest-markdown-docs (superfences options such
  as ```` ```{.python continuation} ````).
- A block whose only lines are `--8<-- "path"` shows a repository file; the file
  must have a linter in `docs_lint`.
- `<!-- exempt: <reason> -->` on the line directly above a fence exempts it, with
  that reason. Nothing else is exempt: any other block is "in no class" and fails.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from enum import Enum
from pathlib import Path

from cachebust._koyeb_cli import find_commands
from cachebust._shell import simple_commands
from guidetools.transcript import PROMPT, Command, parse

_FENCE = re.compile(r"^(?P<indent> *)(?P<fence>`{3,}|~{3,})[ \t]*(?P<info>[^`]*?)[ \t]*$")
_EXEMPT = re.compile(r"^\s*<!--\s*exempt:(?P<reason>.*?)-->\s*$")
_INCLUDE = re.compile(r"""^--8<--\s+(?P<q>["'])(?P<path>[^"']+)(?P=q)\s*$""")
_FRONT_MATTER = re.compile(r"\A---\n.*?\n---\n", re.DOTALL)
#: Inline code spans (single backticks) of prose, possibly across a line break.
_CODE_SPAN = re.compile(r"(?<!`)`(?!`)(?P<code>[^`\n]+(?:\n[^`\n]+)?)`(?!`)")
#: A word of a superfences info string: `.class`, `#id`, `option`, or `key="a value"`.
_INFO_WORD = re.compile(r"""(?P<word>[^\s=]+(?:=(?:"[^"]*"|'[^']*'|\S*))?)""")
_SHELL_LANGUAGES = frozenset({"bash", "sh", "shell"})
#: pytest-markdown-docs runs `py`, `python` and `python3` fences alike.
_LANGUAGE_ALIASES = {"py": "python", "python3": "python"}


class Kind(Enum):
    """What the suite does with a block; `.label` is its class in the summary."""

    PYTHON = ("python", "executed")
    CONSOLE = ("console", "executed")
    KOYEB = ("koyeb", "validated")
    COUNTER_EXAMPLE = ("counter-example", "validated")
    ACCEPTED_BUT_WRONG = ("accepted-but-wrong", "validated")
    MAKE = ("make", "validated")
    INCLUDE = ("include", "included+linted")
    EXEMPT = ("exempt", "exempt")
    UNCLASSIFIED = ("unclassified", "in no class")

    def __init__(self, slug: str, label: str) -> None:
        self.slug = slug
        self.label = label


#: The summary's classes, in its order.
CLASSES = ("executed", "validated", "included+linted", "exempt")


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
    #: Bare words of the info string (pytest-markdown-docs options: `notest`, ...).
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
class Block:
    """A fence with its macros rendered, as the reader sees it, and its class."""

    fence: Fence
    text: str
    kind: Kind
    #: Why a block is in no class (or the exemption's reason).
    reason: str = ""
    commands: tuple[Command, ...] = ()
    includes: tuple[str, ...] = ()

    @property
    def path(self) -> Path:
        return self.fence.path

    @property
    def line(self) -> int:
        return self.fence.line


@dataclass(frozen=True, slots=True)
class Marker:
    """An `<!-- exempt: -->` comment that is not directly above a fence."""

    line: int
    reason: str


@dataclass(frozen=True, slots=True)
class Scan:
    fences: tuple[Fence, ...]
    dangling: tuple[Marker, ...] = ()


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


def session(fence: Fence, text: str) -> tuple[Command, ...]:
    """The commands of a console block (its rendered text) and their expected output."""
    transcript = parse(text, first_line=fence.first_line)
    if transcript.stray is not None:
        raise ValueError(
            f"{fence.path}:{transcript.stray}: output before the first `{PROMPT}` command"
        )
    return transcript.commands


def includes(text: str) -> tuple[str, ...] | None:
    """The included paths when every non-blank line is a `--8<--` include, else None."""
    lines = [line for line in text.splitlines() if line.strip()]
    found = [_INCLUDE.match(line.strip()) for line in lines]
    if not lines or not all(found):
        return None
    return tuple(match["path"] for match in found if match)


def classify(fence: Fence, text: str) -> Block:
    """The rendered block and its class."""
    if fence.exempt is not None:
        if not fence.exempt:
            return Block(fence, text, Kind.UNCLASSIFIED, "the exempt marker gives no reason")
        return Block(fence, text, Kind.EXEMPT, fence.exempt)
    included = includes(text)
    if included is not None:
        return Block(fence, text, Kind.INCLUDE, includes=included)
    if fence.language == "python":
        if "notest" in fence.options:
            why = "`notest` would skip it silently: use <!-- exempt: <reason> --> instead"
            return Block(fence, text, Kind.UNCLASSIFIED, why)
        return Block(fence, text, Kind.PYTHON)
    if fence.language == "console":
        return _console(fence, text)
    if fence.language in _SHELL_LANGUAGES:
        why = f"a {fence.language} block: show a script with --8<--, or a session as `console`"
        return Block(fence, text, Kind.UNCLASSIFIED, why)
    why = f"a {fence.language or 'plain'} block that is neither included nor exempt"
    return Block(fence, text, Kind.UNCLASSIFIED, why)


def runs_koyeb(command: Command) -> bool:
    return bool(find_commands(command.text))


def runs_make(command: Command) -> bool:
    return any(found.words[:1] == ("make",) for found in simple_commands(command.text))


def make_arguments(command: Command) -> tuple[str, ...] | None:
    """The arguments of a command that is a `make` run and nothing else, else None."""
    found = simple_commands(command.text)
    if len(found) != 1 or found[0].words[:1] != ("make",):
        return None
    return found[0].words[1:]


def _console(fence: Fence, text: str) -> Block:
    try:
        commands = session(fence, text)
    except ValueError as exc:
        return Block(fence, text, Kind.UNCLASSIFIED, str(exc))
    if not commands:
        return Block(fence, text, Kind.UNCLASSIFIED, f"a console block with no `{PROMPT}` command")
    koyeb = [runs_koyeb(c) for c in commands]
    if "counter-example" in fence.classes:
        if not all(koyeb):
            why = "a counter-example must hold only `koyeb` commands"
            return Block(fence, text, Kind.UNCLASSIFIED, why, commands)
        kind = (
            Kind.ACCEPTED_BUT_WRONG
            if "accepted-but-wrong" in fence.classes
            else Kind.COUNTER_EXAMPLE
        )
        return Block(fence, text, kind, commands=commands)
    if all(koyeb):
        return Block(fence, text, Kind.KOYEB, commands=commands)
    if all(runs_make(c) for c in commands):
        if any(make_arguments(c) is None for c in commands):
            why = "a `make` command must be alone on its `$ ` line, so `make -n` can check it"
            return Block(fence, text, Kind.UNCLASSIFIED, why, commands)
        return Block(fence, text, Kind.MAKE, commands=commands)
    if any(koyeb) or any(runs_make(c) for c in commands):
        why = (
            "it mixes commands that cannot run here (`koyeb`, `make`) with commands "
            "that run: split it into two blocks"
        )
        return Block(fence, text, Kind.UNCLASSIFIED, why, commands)
    return Block(fence, text, Kind.CONSOLE, commands=commands)


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
    """Language, classes and bare options of `console` or `{.console .x opt key="v"}`."""
    if not info.startswith("{"):
        words = info.split()
        return (words[0] if words else ""), frozenset(), tuple(words[1:])
    words = [match["word"] for match in _INFO_WORD.finditer(info.strip("{}"))]
    dotted = [w[1:] for w in words if w.startswith(".")]
    options = tuple(w for w in words if not w.startswith(".") and "=" not in w)
    language = dotted[0] if dotted else ""
    return language, frozenset(dotted[1:]), options
