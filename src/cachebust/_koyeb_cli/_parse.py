"""Parsing one `koyeb ...` argv the way the CLI's flag library (pflag) does, collecting
every problem instead of stopping at the first."""

from __future__ import annotations

import posixpath
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import Enum

from cachebust._koyeb_cli._commands import CommandLine, find_commands
from cachebust._koyeb_cli._table import (
    CommandSpec,
    FlagSpec,
    Table,
    lookup_long,
    lookup_short,
    table,
)

# Go's strconv.ParseBool and time.ParseDuration, which the CLI's flag library uses.
_FALSE = {"0", "f", "F", "FALSE", "false", "False"}
_BOOLS = {"1", "t", "T", "TRUE", "true", "True", *_FALSE}
_DURATION = re.compile(r"^[-+]?(0|(\d+(\.\d*)?|\.\d+)(ns|us|µs|ms|s|m|h))+$")


class ProblemKind(Enum):
    UNKNOWN_COMMAND = "unknown-command"
    MISSING_SUBCOMMAND = "missing-subcommand"
    UNKNOWN_FLAG = "unknown-flag"
    FLAG_ELSEWHERE = "flag-elsewhere"
    MISSING_VALUE = "missing-value"
    BAD_VALUE = "bad-value"
    MISSING_ARGUMENT = "missing-argument"
    EXTRA_ARGUMENT = "extra-argument"
    UNPARSABLE = "unparsable"


@dataclass(frozen=True, slots=True)
class Problem:
    kind: ProblemKind
    message: str
    #: The token the problem is about (`--follow`, `-f`), when there is one.
    token: str | None = None


@dataclass(frozen=True, slots=True)
class FlagUse:
    """A flag as given: its canonical long name, how it was spelled, and its value."""

    name: str
    spelled: str
    #: The value as typed; "true" for a boolean given bare.
    value: str


@dataclass(frozen=True, slots=True)
class KoyebCommand:
    """A command line the CLI would accept."""

    group: str
    subcommand: str
    positionals: tuple[str, ...]
    flags: tuple[FlagUse, ...]
    #: What follows `--` on `services exec`.
    passthrough: tuple[str, ...]
    argv: tuple[str, ...]

    def has(self, name: str) -> bool:
        """Whether flag `name` (canonical long name) was given and is not set to false."""
        return any(use.name == name and use.value not in _FALSE for use in self.flags)

    def values(self, name: str) -> list[str]:
        """Every value given to flag `name`, in order."""
        return [use.value for use in self.flags if use.name == name]

    @property
    def path(self) -> str:
        return f"{self.group} {self.subcommand}"


@dataclass(frozen=True, slots=True)
class Invalid:
    """A command line the CLI would reject ("Invalid command"), with every reason found."""

    argv: tuple[str, ...]
    problems: tuple[Problem, ...]


@dataclass(frozen=True, slots=True)
class Unvalidated:
    """A `koyeb` command outside the table (e.g. `koyeb login`): neither accepted nor rejected."""

    argv: tuple[str, ...]
    command: str
    reason: str


Parsed = KoyebCommand | Invalid | Unvalidated


def parse(argv: Sequence[str]) -> Parsed:
    """Check one `koyeb ...` argv (as `shlex.split` gives it) against the table."""
    if not argv or posixpath.basename(argv[0]) != "koyeb":
        raise ValueError(f"not a koyeb command line: {list(argv)!r}")
    spec_table = table()
    words = _command_words(argv[1:], spec_table.global_flags)
    if not words:
        return Unvalidated(tuple(argv), "", "no command given (the CLI prints its help)")
    group_index, group_word = words[0]
    group = spec_table.group(group_word)
    if group is None:
        if group_word in spec_table.top_level:
            why = f"`koyeb {group_word}` is not in the flag table"
            return Unvalidated(tuple(argv), group_word, why)
        known = ", ".join(spec_table.top_level)
        message = f"unknown command {group_word!r} for `koyeb`; the commands are: {known}"
        return Invalid(tuple(argv), (Problem(ProblemKind.UNKNOWN_COMMAND, message, group_word),))
    if len(words) < 2:
        return _group_only(tuple(argv), group, spec_table)
    sub_index, sub_word = words[1]
    spec = spec_table.command(group, sub_word)
    if spec is None:
        known = ", ".join(spec_table.commands[group])
        message = f"unknown command {sub_word!r} for `koyeb {group}`; the commands are: {known}"
        return Invalid(tuple(argv), (Problem(ProblemKind.UNKNOWN_COMMAND, message, sub_word),))
    rest = [a for i, a in enumerate(argv[1:]) if i not in (group_index, sub_index)]
    return _Parser(spec, spec_table, tuple(argv)).run(rest)


def validate(line: str) -> Parsed:
    """`parse` for one command written as shell text (quotes, `\\` continuations)."""
    found = find_commands(line)
    if len(found) != 1:
        raise ValueError(f"expected exactly one koyeb command in {line!r}, found {len(found)}")
    return check(found[0])


def check(command: CommandLine) -> Parsed:
    """`parse` for a command found in shell text; unbalanced quotes make it `Invalid`."""
    if command.error is not None:
        problem = Problem(ProblemKind.UNPARSABLE, f"cannot split the line: {command.error}")
        return Invalid(command.argv, (problem,))
    return parse(command.argv)


def validate_text(text: str) -> list[tuple[CommandLine, Parsed]]:
    """Every `koyeb` command in shell text, each with its verdict."""
    return [(found, check(found)) for found in find_commands(text)]


class _Parser:
    """pflag's parsing of one command's arguments, collecting every problem instead of
    stopping at the first."""

    def __init__(self, spec: CommandSpec, spec_table: Table, argv: tuple[str, ...]) -> None:
        self.spec = spec
        self.table = spec_table
        self.argv = argv
        self.flags: list[FlagUse] = []
        self.positionals: list[str] = []
        self.passthrough: list[str] = []
        self.problems: list[Problem] = []
        # An unknown flag may or may not have swallowed the next word; argument counts
        # are then unreliable.
        self.uncertain_count = False

    def run(self, args: list[str]) -> Parsed:
        queue = list(args)
        while queue:
            arg = queue.pop(0)
            if arg == "--":
                (self.passthrough if self.spec.passthrough else self.positionals).extend(queue)
                break
            if arg.startswith("--"):
                self._long(arg, queue)
            elif arg.startswith("-") and arg != "-":
                self._shorts(arg, queue)
            else:
                self.positionals.append(arg)
        self._count_arguments()
        if self.problems:
            return Invalid(self.argv, tuple(self.problems))
        return KoyebCommand(
            group=self.spec.group,
            subcommand=self.spec.name,
            positionals=tuple(self.positionals),
            flags=tuple(self.flags),
            passthrough=tuple(self.passthrough),
            argv=self.argv,
        )

    def _long(self, arg: str, queue: list[str]) -> None:
        name, has_value, value = arg[2:].partition("=")
        flag = lookup_long(self.spec.flags, name) or lookup_long(self.table.global_flags, name)
        if flag is None:
            self._unknown_long(arg, name, has_value == "=", queue)
            return
        if not flag.takes_value:
            self._use(flag, f"--{name}", value if has_value else "true")
        elif has_value:
            self._use(flag, f"--{name}", value)
        elif queue:
            self._use(flag, f"--{name}", queue.pop(0))
        else:
            message = f"flag needs an argument: {arg} ({flag.type})"
            self.problems.append(Problem(ProblemKind.MISSING_VALUE, message, arg))

    def _shorts(self, arg: str, queue: list[str]) -> None:
        letters = arg[1:]
        while letters:
            letter, letters = letters[0], letters[1:]
            flag = lookup_short(self.spec.flags, letter) or lookup_short(
                self.table.global_flags, letter
            )
            if flag is None:
                message = (
                    f"unknown shorthand flag: {letter!r} in {arg} for `koyeb {self.spec.path}`"
                )
                self.problems.append(Problem(ProblemKind.UNKNOWN_FLAG, message, arg))
                self.uncertain_count = True
                return
            spelled = f"-{letter}"
            if letters.startswith("="):
                self._use(flag, spelled, letters[1:])
                return
            if not flag.takes_value:
                self._use(flag, spelled, "true")
            elif letters:
                self._use(flag, spelled, letters)
                return
            elif queue:
                self._use(flag, spelled, queue.pop(0))
            else:
                message = f"flag needs an argument: {spelled} ({flag.type})"
                self.problems.append(Problem(ProblemKind.MISSING_VALUE, message, arg))

    def _unknown_long(self, arg: str, name: str, has_value: bool, queue: list[str]) -> None:
        where = self.table.commands_with_flag(name)
        if not where:
            message = f"unknown flag --{name} for `koyeb {self.spec.path}`"
            self.problems.append(Problem(ProblemKind.UNKNOWN_FLAG, message, arg))
            self.uncertain_count = self.uncertain_count or (not has_value and bool(queue))
            return
        message = (
            f"unknown flag --{name} for `koyeb {self.spec.path}`; it exists on: {', '.join(where)}"
        )
        self.problems.append(Problem(ProblemKind.FLAG_ELSEWHERE, message, arg))
        # Where the flag does exist it says whether it takes a value: skip that value.
        elsewhere = self._flag_elsewhere(name)
        if elsewhere.takes_value and not has_value and queue:
            queue.pop(0)

    def _flag_elsewhere(self, name: str) -> FlagSpec:
        for specs in self.table.commands.values():
            for spec in specs.values():
                flag = lookup_long(spec.flags, name)
                if flag is not None:
                    return flag
        raise AssertionError(name)  # pragma: no cover - only called after commands_with_flag

    def _use(self, flag: FlagSpec, spelled: str, value: str) -> None:
        problem = _bad_value(flag, spelled, value)
        if problem is not None:
            self.problems.append(problem)
        self.flags.append(FlagUse(flag.name, spelled, value))

    def _count_arguments(self) -> None:
        if any(use.name == "help" and use.value not in _FALSE for use in self.flags):
            return
        expected, got = self.spec.positionals, len(self.positionals)
        command = f"`koyeb {self.spec.path}`"
        if got < expected:
            message = f"{command} accepts {expected} arg(s), received {got}: give " + (
                "the service as APP/SERVICE" if self.spec.group == "services" else "its id"
            )
            self.problems.append(Problem(ProblemKind.MISSING_ARGUMENT, message))
        elif got > expected and not self.uncertain_count:
            extra = " ".join(self.positionals[expected:])
            message = f"{command} accepts {expected} arg(s), received {got}; unexpected: {extra}"
            self.problems.append(Problem(ProblemKind.EXTRA_ARGUMENT, message, extra))


def _group_only(argv: tuple[str, ...], group: str, spec_table: Table) -> Parsed:
    if any(a in ("--help", "-h") for a in argv):
        return Unvalidated(argv, group, f"`koyeb {group} --help` prints help")
    known = ", ".join(spec_table.commands[group])
    message = f"`koyeb {group}` needs a command: {known}"
    return Invalid(argv, (Problem(ProblemKind.MISSING_SUBCOMMAND, message),))


def _command_words(
    args: Sequence[str], global_flags: Mapping[str, FlagSpec]
) -> list[tuple[int, str]]:
    """The first two non-flag words (the command path) and their indexes, skipping the
    values of global flags given before them, as cobra's command lookup does."""
    words: list[tuple[int, str]] = []
    skip = False
    for index, arg in enumerate(args):
        if skip:
            skip = False
        elif arg == "--":
            break
        elif arg.startswith("--"):
            flag = lookup_long(global_flags, arg[2:])
            skip = flag is not None and flag.takes_value
        elif arg.startswith("-") and len(arg) == 2:
            flag = lookup_short(global_flags, arg[1])
            skip = flag is not None and flag.takes_value
        elif arg.startswith("-") and arg != "-":
            pass  # -ovalue or grouped booleans: nothing to skip
        else:
            words.append((index, arg))
            if len(words) == 2:
                break
    return words


def _bad_value(flag: FlagSpec, spelled: str, value: str) -> Problem | None:
    if "$" in value or "`" in value:
        return None  # expanded by the shell (or by GitHub Actions) when it runs
    valid = {
        "bool": value in _BOOLS,
        "int": re.fullmatch(r"[-+]?(0[xXoObB])?[0-9a-fA-F_]+", value) is not None,
        "duration": _DURATION.fullmatch(value) is not None,
    }.get(flag.type, True)
    if flag.choices and value not in flag.choices:
        valid = False
    if valid:
        return None
    expected = " | ".join(flag.choices) if flag.choices else f"a {flag.type}"
    if flag.type == "duration":
        expected += " such as 90s, 10m or 1h30m (a unit is required)"
    message = f"invalid value {value!r} for {spelled}: expected {expected}"
    return Problem(ProblemKind.BAD_VALUE, message, spelled)
