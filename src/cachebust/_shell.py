"""The simple commands of a shell script, as bash would split them, on `shlex`.

One splitter serves every reader of shell text: the `koyeb` and `cachebust` command
finders (workflow steps, runbooks, the guide), the fake's build log (what a Dockerfile's
`RUN` runs) and the doc-tests. What it does, beyond `shlex`'s quoting and escaping:

- a `\\` at the end of a line continues the command on the next one;
- a `#` that starts a word starts a comment (`shlex` would also cut `a#b`);
- `;`, `&&`, `||`, `|`, `&` and parentheses end a command;
- redirections are dropped with their target (`2>&1`, `> out.txt`, `&>file`); a number
  just before one is its file descriptor (`echo 2 > f`, with a space, is read so too);
- the commands inside `$(...)` and backquotes are commands of the script as well.

Words keep their `$VARIABLES`: nothing is expanded.

```python
[c.words for c in simple_commands("KOYEB_TOKEN=x koyeb service list | jq . # all")]
# [("KOYEB_TOKEN=x", "koyeb", "service", "list"), ("jq", ".")]
```
"""

from __future__ import annotations

import re
import shlex
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

#: What runs a program without being it: `sudo koyeb ...`, `env A=1 koyeb ...`.
PREFIXES = frozenset({"sudo", "env", "exec", "command", "time", "nohup"})
_ASSIGNMENT = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*=")
_OPERATOR_CHARS = frozenset("();<>|&")


@dataclass(frozen=True, slots=True)
class SimpleCommand:
    """One simple command of a script."""

    #: 1-based line of the script where the command's line starts.
    lineno: int
    #: Its words as the shell passes them, before expansion (assignments included).
    words: tuple[str, ...]
    #: Why the line could not be split (an unclosed quote); `words` is then empty.
    error: str | None = None

    @property
    def source(self) -> str:
        """The command written back as shell text."""
        return shlex.join(self.words)

    def program(self) -> tuple[str, ...]:
        """The words from the program on: `NAME=value` and `sudo`/`env`/... skipped."""
        words = list(self.words)
        while words and (_ASSIGNMENT.match(words[0]) or words[0] in PREFIXES):
            words.pop(0)
        return tuple(words)


def simple_commands(script: str) -> list[SimpleCommand]:
    """Every simple command of `script`, in order; those inside a quoted substitution come
    before the command that holds it."""
    found: list[SimpleCommand] = []
    for lineno, line in logical_lines(script):
        try:
            found += _commands(lineno, _tokens(_prepare(line)))
        except ValueError as exc:  # an unclosed quote: the shell would refuse the line too
            found.append(SimpleCommand(lineno, (), str(exc)))
    return found


def logical_lines(script: str) -> Iterator[tuple[int, str]]:
    """(1-based first line, text) of each line, `\\`-continuations joined as bash joins them."""
    lines = script.splitlines()
    index = 0
    while index < len(lines):
        start, line = index, lines[index]
        index += 1
        while _continues(line) and index < len(lines):
            # bash drops the backslash-newline; the next line's indent keeps words apart
            line = line[:-1] + lines[index]
            index += 1
        yield start + 1, line


def _continues(line: str) -> bool:
    return (len(line) - len(line.rstrip("\\"))) % 2 == 1


def _prepare(line: str) -> str:
    """`line` without its comment, and with backquotes written as `$(...)`, which mean the
    same; quotes and escapes are left for shlex."""
    out: list[str] = []
    quote = ""
    backquoted = False
    index = 0
    while index < len(line):
        char = line[index]
        if char == "\\" and quote != "'":
            out.append(line[index : index + 2])
            index += 2
            continue
        if quote:
            quote = "" if char == quote else quote
        elif char in "'\"":
            quote = char
        elif char == "#" and (not out or out[-1][-1:].isspace() or out[-1][-1:] in ";&|("):
            break
        if char == "`" and quote != "'":
            out.append(")" if backquoted else "$(")
            backquoted = not backquoted
        else:
            out.append(char)
        index += 1
    return "".join(out)


def _tokens(text: str) -> list[str]:
    lexer = shlex.shlex(text, posix=True, punctuation_chars=True)
    lexer.whitespace_split = True
    lexer.commenters = ""  # _prepare dropped the comment, where bash would
    return list(lexer)


def _commands(lineno: int, tokens: Sequence[str]) -> list[SimpleCommand]:
    found: list[SimpleCommand] = []
    words: list[str] = []
    queue = iter(tokens)
    for token in queue:
        if not _is_operator(token):
            for inner in _substitutions(token):
                found += _commands(lineno, _tokens(inner))
            words.append(token)
        elif "<" in token or ">" in token:
            next(queue, None)  # the redirection's target
            if words and words[-1].isdigit():
                words.pop()  # its file descriptor
        else:
            found.append(SimpleCommand(lineno, tuple(words)))
            words = []
    found.append(SimpleCommand(lineno, tuple(words)))
    return [command for command in found if command.words]


def _is_operator(token: str) -> bool:
    return bool(token) and set(token) <= _OPERATOR_CHARS


def _substitutions(word: str) -> Iterator[str]:
    """The text inside each `$(...)` of a word (quoted substitutions stay inside words)."""
    start = word.find("$(")
    while start >= 0:
        depth, index = 1, start + 2
        while index < len(word) and depth:
            depth += {"(": 1, ")": -1}.get(word[index], 0)
            index += 1
        yield word[start + 2 : index - 1 if depth == 0 else index]
        start = word.find("$(", index)
