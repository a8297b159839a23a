"""Terminal sessions as the guide writes them (` ```console ` blocks): the one parser.

```console
$ koyeb service redeploy app/api \\
>     --wait
...
$ cachebust status
service:  app/api
```

- `$ ` at the start of a line starts a command;
- a line ending in an unescaped `\\` continues the command on the next line, which may
  show bash's continuation prompt `> ` (dropped, as the reader does not type it);
- every other line is output of the command above it (trailing blank lines aside).

The copy buttons copy the commands (`guidetools.console_fence`), the doc-tests run them and
compare the output (`guidetools.session`), and the `koyeb` commands among them are
checked against the CLI's flag table (`guidetools.koyeb`), all from this parse.
"""

from __future__ import annotations

from dataclasses import dataclass

PROMPT = "$ "
#: bash's PS2, shown before a continuation line.
CONTINUATION_PROMPT = "> "


@dataclass(frozen=True, slots=True)
class Command:
    """One command of a session, with the output the page shows below it."""

    #: 1-based line of its `$ ` line (counted from the `first_line` given to `parse`).
    line: int
    #: The command as typed: prompts removed, continuation lines joined with a newline.
    text: str
    expected: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Transcript:
    commands: tuple[Command, ...]
    #: 1-based line of the first non-blank line before the first command, if any: output
    #: that no command printed.
    stray: int | None = None


def parse(session: str, *, first_line: int = 1) -> Transcript:
    """The commands of a session and their output; `first_line` is the line number of
    the session's first line (a page line, for a block)."""
    commands: list[Command] = []
    stray: int | None = None
    lines = session.splitlines()
    index = 0
    while index < len(lines):
        line = lines[index]
        if line.startswith(PROMPT):
            start, parts = index, [line[len(PROMPT) :]]
            while _continues(parts[-1]) and index + 1 < len(lines):
                index += 1
                parts.append(lines[index].removeprefix(CONTINUATION_PROMPT))
            commands.append(Command(first_line + start, "\n".join(parts), ()))
        elif commands:
            previous = commands[-1]
            commands[-1] = Command(previous.line, previous.text, (*previous.expected, line))
        elif line.strip() and stray is None:
            stray = first_line + index
        index += 1
    return Transcript(tuple(_trimmed(command) for command in commands), stray)


def commands(session: str) -> list[str]:
    """What a reader types: each command of the session, as written, without prompts."""
    return [command.text for command in parse(session).commands]


def _continues(line: str) -> bool:
    """Whether bash reads on: the line ends in an odd run of backslashes."""
    return (len(line) - len(line.rstrip("\\"))) % 2 == 1


def _trimmed(command: Command) -> Command:
    """Trailing blank lines of a command's output are not part of it."""
    expected = list(command.expected)
    while expected and not expected[-1].strip():
        expected.pop()
    return Command(command.line, command.text, tuple(expected))
