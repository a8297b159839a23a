"""Running a console block in bash and comparing what it prints with the page.

A block runs as one bash session (commands share variables and the current
directory), with stdin closed. Each command's output is its stdout and stderr
together, in the order printed, so an error message is shown where a reader sees it.

- Each command's output is compared with the output the page shows below it
  (`guidetools.expected` says how).
- Exit status: every command must exit 0, except one directly followed by the
  command `echo $?`, whose output on the page is then the status. A reader can type
  it, and it is the only way a page shows a failure.
- The fake API's address in the output reads as the configured API URL: a reader
  who has not set KOYEB_URL sees that one.
"""

from __future__ import annotations

import os
import re
import secrets
import signal
import subprocess
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from guidetools.expected import compare
from guidetools.transcript import Command

SHOW_STATUS = "echo $?"


@dataclass(frozen=True, slots=True)
class Shell:
    """Where and how a session runs."""

    cwd: Path
    env: Mapping[str, str]
    #: (actual, shown) text replacements applied to the output before comparing.
    replacements: tuple[tuple[str, str], ...] = ()
    #: Text that must never appear in any output (the API token).
    secrets: tuple[str, ...] = ()
    timeout: float = 120.0


@dataclass(frozen=True, slots=True)
class Result:
    command: Command
    #: None when the session ended (or timed out) before the command finished.
    status: int | None
    output: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Session:
    results: tuple[Result, ...]
    #: Commands that never ran: the shell exited (or was stopped) before them.
    unreached: tuple[Command, ...] = ()
    #: Why the session was stopped, if it was.
    stopped: str = ""


def run(commands: Sequence[Command], shell: Shell) -> Session:
    """Run the commands in one bash session; one Result per command that finished."""
    nonce = secrets.token_hex(8)
    # After each command, a marker line with its status; the function returns that
    # status again, so `echo $?` on the page shows the command's, not the marker's.
    mark = (
        f'__docs_mark() {{ local s=$?; printf \'\\036{nonce} %d %d\\n\' "$1" "$s"; return $s; }}\n'
    )
    script = mark + "".join(
        f"{command.text}\n__docs_mark {index}\n" for index, command in enumerate(commands)
    )
    process = subprocess.Popen(
        ["bash", "--noprofile", "--norc", "-c", script],
        cwd=shell.cwd,
        env=dict(shell.env),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    stopped = ""
    try:
        raw, _ = process.communicate(timeout=shell.timeout)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        raw, _ = process.communicate()
        stopped = f"the session was stopped after {shell.timeout:g}s"
    text = raw.decode("utf-8", errors="replace")
    results: list[Result] = []
    position = 0
    for match in re.finditer(f"\x1e{nonce} (\\d+) (\\d+)\n", text):
        command = commands[int(match[1])]
        output = _normalize(text[position : match.start()], shell)
        results.append(Result(command, int(match[2]), output))
        position = match.end()
    if len(results) < len(commands):
        # The shell stopped during this command: its status is the shell's (an `exit`).
        status = None if stopped else process.returncode
        results.append(Result(commands[len(results)], status, _normalize(text[position:], shell)))
    return Session(tuple(results), tuple(commands[len(results) :]), stopped)


def check(path: Path, commands: Sequence[Command], session: Session, shell: Shell) -> list[str]:
    """Every difference between the page and the session, each naming its page line."""
    problems: list[str] = []
    for index, result in enumerate(session.results):
        command = result.command
        where = f"{path}:{command.line}: `{_one_line(command.text)}`"
        for secret in shell.secrets:
            if any(secret in line for line in result.output):
                problems.append(f"{where} printed the API token")
        if result.status is None:
            problems.append(f"{where} did not finish: {session.stopped}")
        shows_status = index + 1 < len(commands) and commands[index + 1].text == SHOW_STATUS
        if result.status not in (0, None) and not shows_status:
            problems.append(
                f"{where} exited {result.status}, and the page does not show it: add "
                f"`$ {SHOW_STATUS}` and its output `{result.status}` after it, or fix the command"
            )
        same, listing = compare(command.expected, result.output)
        if not same:
            problems.append(
                f"{where} printed other output than the page shows\n"
                "  (' ' same, '~' matched by a `...` line, '-' only on the page, "
                "'+' only in the output)\n" + "\n".join(listing)
            )
    problems += [
        f"{path}:{command.line}: `{_one_line(command.text)}` never ran: the shell exited before it"
        for command in session.unreached
    ]
    return problems


def _normalize(chunk: str, shell: Shell) -> tuple[str, ...]:
    for actual, shown in shell.replacements:
        chunk = chunk.replace(actual, shown)
    lines = [line.rstrip() for line in chunk.splitlines()]
    while lines and not lines[-1]:
        lines.pop()
    return tuple(lines)


def _one_line(text: str) -> str:
    return " ".join(text.replace("\\\n", " ").split())
