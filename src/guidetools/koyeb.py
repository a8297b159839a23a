"""`koyeb ...` command lines, wherever the project writes one, against the official
CLI's flag table (`cachebust._koyeb_cli`, the project's copy of that table).

- In a `console` block: every command must be accepted (unknown command or flag, a
  flag of another command, a missing or extra argument, a bad value each fail).
- In a `{.console .counter-example}` block: every command must be REJECTED for what
  it says about the CLI (a flag or command problem, not a quoting slip), and the page
  must name each rejected flag or command in its prose, so the page explains it.
- In a `{.console .counter-example .accepted-but-wrong}` block: every command must be
  ACCEPTED (what is wrong with it is explained by the page, not by the CLI), and
  the page's prose must name each of its flags.
- In runbook scripts, in workflow `run:` steps and in exempt console blocks (exempt
  from running, not from the flag table): every command must be accepted.
- In prose (`inline code` starting with `koyeb `): every flag must exist where the
  text puts it; prose may leave out an argument or a flag's value.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path

import yaml

from cachebust._koyeb_cli import (
    CommandLine,
    Invalid,
    KoyebCommand,
    Parsed,
    ProblemKind,
    Unvalidated,
    validate_text,
)
from guidetools.blocks import Block, Kind
from guidetools.transcript import Command

#: Reasons a counter-example may be rejected for: what the CLI itself says no to.
_HONEST = frozenset(ProblemKind) - {ProblemKind.UNPARSABLE}
#: What prose may leave out of a command it names.
_UNSAID_IN_PROSE = frozenset({ProblemKind.MISSING_ARGUMENT, ProblemKind.MISSING_VALUE})


def block_problems(block: Block, prose: str) -> list[str]:
    """What is wrong with the `koyeb` commands of a console block (its class decides)."""
    found = _validated(block.path, block.commands)
    problems: list[str] = []
    if len(found) != len(block.commands):
        problems.append(
            f"{block.path}:{block.line}: found {len(found)} koyeb command(s) in "
            f"{len(block.commands)} command line(s): write one `koyeb` command per `$ ` line"
        )
    for where, command, verdict in found:
        if block.kind is Kind.COUNTER_EXAMPLE:
            problems += _counter_example(where, command, verdict, prose)
        elif block.kind is Kind.ACCEPTED_BUT_WRONG:
            problems += _accepted_but_wrong(where, command, verdict, prose)
        else:
            problems += _accepted(where, command, verdict)
    return problems


def line_problems(path: Path, text: str, *, first_line: int = 1) -> list[str]:
    """Every `koyeb` command in shell text (a script, a `run:` step)."""
    problems: list[str] = []
    for command, verdict in validate_text(text):
        problems += _accepted(f"{path}:{first_line + command.lineno - 1}", command, verdict)
    return problems


def session_problems(path: Path, commands: Sequence[Command]) -> list[str]:
    """Every `koyeb` command of a console session (an exempt block)."""
    return [
        problem
        for where, command, verdict in _validated(path, commands)
        for problem in _accepted(where, command, verdict)
    ]


def prose_problems(path: Path, line: int, code: str) -> list[str]:
    """A `koyeb` command named in prose (`inline code`). Prose may name a command
    without its argument (`koyeb service redeploy`), a flag without its value
    (`koyeb service update --docker-args`), or a command outside the flag table
    (`koyeb login`); a flag must still exist where the text puts it."""
    problems: list[str] = []
    for command, verdict in validate_text(code):
        if isinstance(verdict, Unvalidated):
            continue
        if isinstance(verdict, Invalid) and (
            {problem.kind for problem in verdict.problems} <= _UNSAID_IN_PROSE
        ):
            continue
        problems += _accepted(f"{path}:{line}", command, verdict)
    return problems


def workflow_runs(path: Path) -> Iterator[tuple[int, str]]:
    """(1-based line of the first command line, script) of every `run:` step of a workflow."""
    root = yaml.compose(path.read_text(encoding="utf-8"))
    for node in _walk(root) if root is not None else ():
        for key, value in node.value:
            if key.value == "run" and isinstance(value, yaml.ScalarNode):
                # A block scalar (`run: |`) starts on the line after its indicator.
                offset = 1 if value.style in ("|", ">") else 0
                yield value.start_mark.line + 1 + offset, value.value


def _walk(node: yaml.Node) -> Iterator[yaml.MappingNode]:
    if isinstance(node, yaml.MappingNode):
        yield node
        for _, value in node.value:
            yield from _walk(value)
    elif isinstance(node, yaml.SequenceNode):
        for item in node.value:
            yield from _walk(item)


def _validated(path: Path, commands: Sequence[Command]) -> list[tuple[str, CommandLine, Parsed]]:
    """Each `koyeb` command of a session's commands, its place and its verdict."""
    return [
        (f"{path}:{command.line + found.lineno - 1}", found, verdict)
        for command in commands
        for found, verdict in validate_text(command.text)
    ]


def _accepted(where: str, command: CommandLine, verdict: object) -> list[str]:
    if isinstance(verdict, KoyebCommand):
        return []
    if isinstance(verdict, Unvalidated):
        return [f"{where}: `{command.source}` cannot be checked: {verdict.reason}"]
    assert isinstance(verdict, Invalid)
    reasons = "; ".join(problem.message for problem in verdict.problems)
    return [f"{where}: the official koyeb CLI rejects `{command.source}`: {reasons}"]


def _counter_example(where: str, command: CommandLine, verdict: object, prose: str) -> list[str]:
    if not isinstance(verdict, Invalid):
        return [
            f"{where}: counter-example `{command.source}` is accepted by the official "
            "koyeb CLI's flag table, so the page's correction is wrong (or the block is "
            "`.accepted-but-wrong`)"
        ]
    honest = [problem for problem in verdict.problems if problem.kind in _HONEST]
    if not honest:
        reasons = "; ".join(problem.message for problem in verdict.problems)
        return [
            f"{where}: counter-example `{command.source}` is rejected only because it "
            f"cannot be read ({reasons}), not for what the page says"
        ]
    flags = {_flag(p.token) for p in honest if p.token and p.token.startswith("-")}
    unexplained = sorted(flag for flag in flags if f"`{flag}" not in prose)
    if unexplained:
        return [
            f"{where}: counter-example `{command.source}` is rejected for "
            f"{', '.join(unexplained)}, which the page's text never names"
        ]
    return []


def _accepted_but_wrong(where: str, command: CommandLine, verdict: object, prose: str) -> list[str]:
    if not isinstance(verdict, KoyebCommand):
        return [
            *_accepted(where, command, verdict),
            f"{where}: an `.accepted-but-wrong` block must hold commands the CLI accepts",
        ]
    unnamed = sorted({use.spelled for use in verdict.flags if f"`{use.spelled}" not in prose})
    if unnamed:
        return [
            f"{where}: `{command.source}` is shown as accepted but wrong, and the page's "
            f"text never names {', '.join(unnamed)}, so it cannot explain what is wrong"
        ]
    return []


def _flag(token: str) -> str:
    """A problem's token as the page would name it: `--follow` from `--follow=x`."""
    return token.split("=", 1)[0]
