"""The class of each code block of a guide page: what the doc-tests do with it.

A block is a fence of `docs/**/*.md` or `README.md` (`guidetools.fences`) with its
macros rendered. Conventions (also in CONTRIBUTING.md):

- ```` ```console ```` is a terminal session (`guidetools.transcript`): `$ command`
  lines, each followed by the output the page promises. It is executed in bash
  (`guidetools.session`), unless every command in it is a `koyeb ...` command (the
  official CLI cannot be installed here: checked against its flag table instead) or
  a `make ...` command, alone on its line (checked with `make -n`).
- ```` ```{.console .counter-example} ````: commands the official CLI rejects; each
  must FAIL the flag table. ```` ```{.console .counter-example .accepted-but-wrong} ````:
  commands the CLI accepts but that do not do what the old guide claimed; each must
  PASS the flag table, so the page's explanation of why they are wrong stays honest.
- ```` ```python ```` blocks run as scripts (`guidetools.python_block`); the one option
  is `continuation`: ```` ```{.python continuation} ````.
- A block whose only lines are `--8<-- "path"` shows a repository file; the file
  must have a linter in `guidetools.lint`.
- `<!-- exempt: <reason> -->` on the line directly above a fence exempts it, with
  that reason. Nothing else is exempt: any other block is "in no class" and fails.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum
from pathlib import Path

from cachebust._koyeb_cli import find_commands
from cachebust._shell import simple_commands
from guidetools.fences import Fence
from guidetools.transcript import PROMPT, Command, parse

_INCLUDE = re.compile(r"""^--8<--\s+(?P<q>["'])(?P<path>[^"']+)(?P=q)\s*$""")
_SHELL_LANGUAGES = frozenset({"bash", "sh", "shell"})
#: The one option of a Python block: it runs after the page's previous one, as one script.
CONTINUATION = "continuation"


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
        # A console block's commands too: counted on the page, and checked against the
        # CLIs' flag tables though not run.
        commands = (
            parse(text, first_line=fence.first_line).commands if fence.language == "console" else ()
        )
        return Block(fence, text, Kind.EXEMPT, fence.exempt, commands=commands)
    included = includes(text)
    if included is not None:
        return Block(fence, text, Kind.INCLUDE, includes=included)
    if fence.language == "python":
        return _python(fence, text)
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


def _python(fence: Fence, text: str) -> Block:
    if "notest" in fence.options:
        why = "`notest` would skip it silently: use <!-- exempt: <reason> --> instead"
        return Block(fence, text, Kind.UNCLASSIFIED, why)
    unknown = [option for option in fence.options if option != CONTINUATION]
    if unknown:
        why = f"unknown option `{unknown[0]}`: a Python block takes `{CONTINUATION}` only"
        return Block(fence, text, Kind.UNCLASSIFIED, why)
    return Block(fence, text, Kind.PYTHON)


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
