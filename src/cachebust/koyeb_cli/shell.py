"""Finding `koyeb ...` command lines in shell text: scripts, workflow `run:` steps and
console sessions.

A line is cut into simple commands at unquoted `;`, `&&`, `||`, `|`, `&` and
parentheses; `\\` line continuations are joined, `# comments` dropped, and commands
inside `$(...)` looked at too. Leading `NAME=value` assignments and `sudo`/`env`/
`exec`/`command`/`time` are skipped, so `KOYEB_TOKEN=x koyeb ...` is found. In a
console session (`prompts_only`), `$ ` starts a command and `> ` continuation prompts
are dropped.
"""

from __future__ import annotations

import posixpath
import re
import shlex
from collections.abc import Iterator
from dataclasses import dataclass

_PROMPT = re.compile(r"^(\s*)\$ ")
# bash's PS2, shown on continuation lines of a console session
_CONTINUATION_PROMPT = re.compile(r"^\s*> ")
_ASSIGNMENT = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*=")
_PREFIXES = {"sudo", "env", "exec", "command", "time", "nohup"}
_OPERATORS = (";", "&", "|", "(", ")", "\n")
_REDIRECT = re.compile(r"^(\d*|&)(>>?|<<?<?|>\|)(?P<target>&?\S*)$")


@dataclass(frozen=True, slots=True)
class CommandLine:
    """One `koyeb` command found in a text."""

    #: 1-based line of the text where the command starts.
    lineno: int
    #: The command as written (continuations joined, prompt removed).
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
    found: list[CommandLine] = []
    for lineno, line in _logical_lines(text, prompts_only=prompts_only):
        for segment in _segments(line):
            command = _program_command(lineno, segment, program)
            if command is not None:
                found.append(command)
    return found


def _logical_lines(text: str, *, prompts_only: bool) -> Iterator[tuple[int, str]]:
    """(first line number, text) of each command line, continuations joined."""
    lines = text.splitlines()
    index = 0
    while index < len(lines):
        start = index
        line = lines[index]
        index += 1
        prompt = _PROMPT.match(line)
        if prompt:
            line = line[prompt.end() :]
        elif prompts_only:
            continue
        while _continues(line) and index < len(lines):
            # bash removes backslash-newline entirely; the next line's indent keeps words apart
            following = lines[index]
            if prompts_only:
                following = _CONTINUATION_PROMPT.sub(" ", following, count=1)
            line = line[:-1] + following
            index += 1
        yield start + 1, line


def _continues(line: str) -> bool:
    trailing = len(line) - len(line.rstrip("\\"))
    return trailing % 2 == 1


def _segments(line: str) -> Iterator[str]:
    """The simple commands of one line, including those inside `$(...)` and backticks."""
    current: list[str] = []
    quote = ""
    index = 0
    while index < len(line):
        char = line[index]
        if char == "\\" and quote != "'":
            current.append(line[index : index + 2])
            index += 2
            continue
        if quote:
            if char == quote:
                quote = ""
            elif quote == '"' and line.startswith("$(", index):
                inner, index = _substitution(line, index + 2)
                yield from _segments(inner)
                current.append(f"$({inner})")
                continue
            current.append(char)
        elif char in "'\"":
            quote = char
            current.append(char)
        elif line.startswith("$(", index):
            inner, index = _substitution(line, index + 2)
            yield from _segments(inner)
            current.append(f"$({inner})")
            continue
        elif char == "`":
            end = line.find("`", index + 1)
            end = len(line) if end < 0 else end
            yield from _segments(line[index + 1 : end])
            current.append(line[index : end + 1])
            index = end
        elif char == "#" and (not current or current[-1][-1:].isspace()):
            break
        elif char == "&" and (
            line[index - 1 : index] in ("<", ">") or line[index + 1 :][:1] == ">"
        ):
            current.append(char)  # part of a redirection: 2>&1, &>file
        elif char in _OPERATORS:
            yield "".join(current)
            current = []
        else:
            current.append(char)
        index += 1
    yield "".join(current)


def _substitution(line: str, start: int) -> tuple[str, int]:
    """The text of a `$(...)` opened just before `start`, and the index after its `)`."""
    depth, quote, index = 1, "", start
    while index < len(line):
        char = line[index]
        if char == "\\" and quote != "'":
            index += 2
            continue
        if quote:
            quote = "" if char == quote else quote
        elif char in "'\"":
            quote = char
        elif char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
            if depth == 0:
                return line[start:index], index + 1
        index += 1
    return line[start:], len(line)


def _program_command(lineno: int, segment: str, program: str) -> CommandLine | None:
    source = segment.strip()
    if program not in source:
        return None
    try:
        words = shlex.split(source)
    except ValueError as exc:
        start = rf"^(\S+=\S*\s+)*(sudo\s+|env\s+)*(\S*/)?{re.escape(program)}(\s|$)"
        if re.match(start, source):
            return CommandLine(lineno, source, (), str(exc))
        return None
    while words and (_ASSIGNMENT.match(words[0]) or words[0] in _PREFIXES):
        words.pop(0)
    if not words or posixpath.basename(words[0]) != program:
        return None
    return CommandLine(lineno, source, tuple(_without_redirections(words)))


def _without_redirections(words: list[str]) -> Iterator[str]:
    queue = iter(words)
    for word in queue:
        redirect = _REDIRECT.match(word)
        if redirect is None:
            yield word
        elif not redirect.group("target"):
            next(queue, None)
