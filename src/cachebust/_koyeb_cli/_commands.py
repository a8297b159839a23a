"""Finding `koyeb ...` command lines in shell text (scripts, workflow `run:` steps, the
commands of a console session), with the one shell splitter (`cachebust._shell`).

A console session is a transcript, not shell text: its reader (the guide's tooling)
takes the commands out of it first and hands each one here.
"""

from __future__ import annotations

import posixpath
import re
import shlex
from collections import Counter
from dataclasses import dataclass

from cachebust._shell import SimpleCommand, logical_lines, simple_commands


@dataclass(frozen=True, slots=True)
class CommandLine:
    """One `koyeb` command found in a text."""

    #: 1-based line of the text where the command starts.
    lineno: int
    #: The command as shell text.
    source: str
    #: Its words, from `koyeb` on, as the shell would pass them (before expansion).
    argv: tuple[str, ...]
    #: Why the words could not be split (e.g. an unclosed quote); `argv` is then empty.
    error: str | None = None


def find_commands(
    text: str, *, program: str = "koyeb", aliases: frozenset[str] = frozenset()
) -> list[CommandLine]:
    """Every `koyeb` command (or `program` command) in the shell text `text`; `aliases`
    are other first words that run it (`$CACHEBUST_CLI`)."""
    commands = simple_commands(text)
    per_line = Counter(command.lineno for command in commands)
    lines = dict(logical_lines(text))
    found = []
    for command in commands:
        # A line that holds one command is quoted as written; else as the shell reads it.
        written = lines[command.lineno].strip() if per_line[command.lineno] == 1 else None
        line = _program_command(command, program, aliases, written)
        if line is not None:
            found.append(line)
    return found


def _program_command(
    command: SimpleCommand, program: str, aliases: frozenset[str], written: str | None
) -> CommandLine | None:
    if command.error is not None:
        line = written or ""
        start = rf"^(\S+=\S*\s+)*(sudo\s+|env\s+)*(\S*/)?{re.escape(program)}(\s|$)"
        if re.match(start, line):
            return CommandLine(command.lineno, line, (), command.error)
        return None
    words = command.program()
    if not words or (posixpath.basename(words[0]) != program and words[0] not in aliases):
        return None
    source = written if written is not None and "#" not in written else shlex.join(words)
    return CommandLine(command.lineno, source, words)
