"""Finding `koyeb ...` command lines in shell text: scripts, workflow `run:` steps and
console sessions, with the one shell splitter (`cachebust._shell`).

In a console session (`prompts_only`), `$ ` starts a command, `> ` continuation prompts
are dropped, and every other line is output.
"""

from __future__ import annotations

import posixpath
import re
import shlex
from collections import Counter
from dataclasses import dataclass

from cachebust._shell import SimpleCommand, logical_lines, simple_commands

_PROMPT = re.compile(r"^(\s*)\$ ")
# bash's PS2, shown on continuation lines of a console session
_CONTINUATION_PROMPT = re.compile(r"^\s*> ")


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
    text: str, *, prompts_only: bool = False, program: str = "koyeb"
) -> list[CommandLine]:
    """Every `koyeb` command (or `program` command) in `text`.

    With `prompts_only`, `text` is a console session: only lines starting with `$ `
    (and their continuations) are commands, everything else is output.
    """
    script = _session_script(text) if prompts_only else text
    commands = simple_commands(script)
    per_line = Counter(command.lineno for command in commands)
    lines = dict(logical_lines(script))
    found = []
    for command in commands:
        # A line that holds one command is quoted as written; else as the shell reads it.
        written = lines[command.lineno].strip() if per_line[command.lineno] == 1 else None
        line = _program_command(command, program, written)
        if line is not None:
            found.append(line)
    return found


def _session_script(session: str) -> str:
    """The commands of a console session as a script, output lines blanked (line numbers kept)."""
    lines: list[str] = []
    continued = False
    for line in session.splitlines():
        if continued:
            lines.append(_CONTINUATION_PROMPT.sub(" ", line, count=1))
        else:
            prompt = _PROMPT.match(line)
            lines.append(line[prompt.end() :] if prompt else "")
            if not prompt:
                continue
        continued = lines[-1].endswith("\\")
    return "\n".join(lines)


def _program_command(
    command: SimpleCommand, program: str, written: str | None
) -> CommandLine | None:
    if command.error is not None:
        line = written or ""
        start = rf"^(\S+=\S*\s+)*(sudo\s+|env\s+)*(\S*/)?{re.escape(program)}(\s|$)"
        if re.match(start, line):
            return CommandLine(command.lineno, line, (), command.error)
        return None
    words = command.program()
    if not words or posixpath.basename(words[0]) != program:
        return None
    source = written if written is not None and "#" not in written else shlex.join(words)
    return CommandLine(command.lineno, source, words)
