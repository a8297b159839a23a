"""`cachebust ...` command lines, wherever the project writes one, against the CLI's own
Click definitions (`cachebust.cli`): the guide's console blocks and prose, README.md,
the runbooks, the workflows' `run:` steps and `action.yml`'s.

The command tree is walked as Click would walk it (the group's options, the
subcommand, the command's options and arguments), with Click's own parser and each
parameter's own type, but nothing is invoked and no callback runs. Found: an unknown
command, an unknown option, an option without its value, a value its type refuses
(`--type deploy`, `--timeout 5x`), a missing argument and an extra argument.

Shell text is not expanded, so:
- a word holding `$` (`"$TARGET"`, `${{ inputs.service }}`) is an opaque value: it
  takes its place (an argument, an option's value) and no type checks it; one left
  over is not an extra argument, as it may expand to nothing;
- `"$@"` and `$*` pass a script's arguments through: they may be nothing, so only
  what the line hard-codes is checked;
- `${NAME:+--option "$NAME"}` is checked as if NAME were set: its words are what the
  line hard-codes.

Guide pages render their macros first (`{{ target }}` is checked as its value).
Prose (`inline code`) may leave out an argument or an option's value, as for `koyeb`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from enum import Enum
from pathlib import Path

import click

# Click's marker for a parameter the command line did not give (its parser's own).
from click._utils import UNSET

from cachebust._koyeb_cli import CommandLine, find_commands
from cachebust._shell import logical_lines
from cachebust.cli import root
from guidetools.koyeb import workflow_runs
from guidetools.session import SHOW_STATUS
from guidetools.transcript import Command

PROGRAM = "cachebust"
#: The runbook's way to name the CLI (`CACHEBUST_CLI=... runbooks/force-koyeb-rebuild.sh`).
ALIASES = frozenset({"$CACHEBUST_CLI", "${CACHEBUST_CLI}"})
#: A GitHub expression (`${{ inputs.x }}`) is one opaque word, whatever its spaces.
_EXPRESSION = re.compile(r"\$\{\{.*?\}\}")
_OPAQUE = "$EXPR"
_PASSED_THROUGH = frozenset({"$@", "$*", "${@}", "${*}"})
_ALTERNATE = re.compile(r"^\$\{[A-Za-z_][A-Za-z0-9_]*:?\+(?P<words>.*)\}$", re.DOTALL)
#: What Click exits with for a usage error: a page may show one on purpose.
USAGE_STATUS = "2"


class Kind(Enum):
    UNKNOWN_COMMAND = "unknown command"
    UNKNOWN_OPTION = "unknown option"
    MISSING_VALUE = "missing value"
    BAD_VALUE = "bad value"
    MISSING_ARGUMENT = "missing argument"
    EXTRA_ARGUMENT = "extra argument"
    UNPARSABLE = "unparsable"


@dataclass(frozen=True, slots=True)
class Problem:
    kind: Kind
    message: str


#: What prose may leave out of a command it names.
_UNSAID_IN_PROSE = frozenset({Kind.MISSING_VALUE, Kind.MISSING_ARGUMENT})


def validate(argv: Sequence[str]) -> list[Problem]:
    """What Click would refuse in `argv` (from `cachebust` on); [] when it accepts it."""
    words = list(_expanded(argv[1:]))
    return _walk(root, PROGRAM, words, None)


def find(text: str) -> list[CommandLine]:
    """Every `cachebust` command of shell text (GitHub expressions made opaque words)."""
    opaque = _EXPRESSION.sub(_OPAQUE, text)
    found = find_commands(opaque, program=PROGRAM, aliases=ALIASES)
    if opaque == text:
        return found
    lines = dict(logical_lines(text))
    return [replace(c, source=_restored(c.source, lines[c.lineno])) for c in found]


def _restored(source: str, line: str) -> str:
    """A command's source with the expressions of its line written back."""
    expressions = iter(_EXPRESSION.findall(line))
    return re.sub(re.escape(_OPAQUE), lambda _: next(expressions, _OPAQUE), source)


def line_problems(path: Path, text: str, *, first_line: int = 1) -> list[str]:
    """Every `cachebust` command in shell text (a script, a `run:` step)."""
    return [
        problem
        for command in find(text)
        for problem in _refused(f"{path}:{first_line + command.lineno - 1}", command)
    ]


def session_problems(path: Path, commands: Sequence[Command]) -> list[str]:
    """Every `cachebust` command of a console session, but one the page shows failing
    with Click's usage status on purpose (`$ echo $?` then `2`)."""
    problems: list[str] = []
    for index, command in enumerate(commands):
        after = commands[index + 1] if index + 1 < len(commands) else None
        if after and after.text == SHOW_STATUS and after.expected[:1] == (USAGE_STATUS,):
            continue
        for found in find(command.text):
            where = f"{path}:{command.line + found.lineno - 1}"
            problems += _refused(where, found)
    return problems


def prose_problems(path: Path, line: int, code: str) -> list[str]:
    """A `cachebust` command named in prose: it may leave out an argument or a value."""
    problems: list[str] = []
    for command in find(code):
        said = [p for p in _verdict(command) if p.kind not in _UNSAID_IN_PROSE]
        problems += _listed(f"{path}:{line}", command, said)
    return problems


def project_files(root_dir: Path) -> Iterator[tuple[Path, int, str]]:
    """(path relative to `root_dir`, first line, shell text) of every runbook, workflow
    `run:` step and `action.yml` `run:` step."""
    for script in sorted((root_dir / "runbooks").glob("*.sh")):
        yield script.relative_to(root_dir), 1, script.read_text(encoding="utf-8")
    workflows = sorted((root_dir / ".github/workflows").glob("*.y*ml"))
    actions = sorted(root_dir.glob("action.y*ml"))
    for path in (*workflows, *actions):
        for line, text in workflow_runs(path):
            yield path.relative_to(root_dir), line, text


def project_problems(root_dir: Path) -> list[str]:
    """Every refused `cachebust` command of the runbooks, workflows and action."""
    return [
        problem
        for path, line, text in project_files(root_dir)
        for problem in line_problems(path, text, first_line=line)
    ]


def _refused(where: str, command: CommandLine) -> list[str]:
    return _listed(where, command, _verdict(command))


def _verdict(command: CommandLine) -> list[Problem]:
    if command.error is not None:
        return [Problem(Kind.UNPARSABLE, f"cannot split the line: {command.error}")]
    return validate(command.argv)


def _listed(where: str, command: CommandLine, problems: list[Problem]) -> list[str]:
    if not problems:
        return []
    reasons = "; ".join(problem.message for problem in problems)
    return [f"{where}: the cachebust CLI rejects `{command.source}`: {reasons}"]


def _expanded(words: Sequence[str]) -> Iterator[str]:
    """The words as the checks read them: `"$@"` dropped, `${X:+words}` opened."""
    queue = list(words)
    while queue:
        word = queue.pop(0)
        if word in _PASSED_THROUGH:
            continue
        if word.startswith("${") and "+" in word:
            # shlex split `${X:+--opt "$X"}` at its spaces: join it back.
            while not word.endswith("}") and queue:
                word += " " + queue.pop(0)
            match = _ALTERNATE.match(word)
            if match:
                yield from match["words"].split()
                continue
        yield word


def _opaque(value: object) -> bool:
    if isinstance(value, str):
        return "$" in value
    if isinstance(value, tuple | list):
        return any(_opaque(item) for item in value)
    return False


def _walk(
    command: click.Command, name: str, args: list[str], parent: click.Context | None
) -> list[Problem]:
    ctx = click.Context(command, info_name=name, parent=parent)
    label = ctx.command_path
    parser = command.make_parser(ctx)
    try:
        opts, rest, _ = parser.parse_args(args=list(args))
    except click.NoSuchOption as exc:
        known = ", ".join(sorted(_long_options(command, ctx)))
        message = f"unknown option {exc.option_name} for `{label}` (it has: {known})"
        return [Problem(Kind.UNKNOWN_OPTION, message)]
    except click.BadOptionUsage as exc:
        missing = "requires" in exc.message
        kind = Kind.MISSING_VALUE if missing else Kind.BAD_VALUE
        return [Problem(kind, f"`{label}`: {exc.message}")]
    except click.UsageError as exc:
        return [Problem(Kind.BAD_VALUE, f"`{label}`: {exc.message}")]
    params = command.get_params(ctx)
    if any(p.is_eager and opts.get(p.name) not in (None, False) for p in params if p.name):
        return []  # --help, --version: Click prints them and exits before anything else
    problems = [problem for param in params if param.name for problem in _value(ctx, param, opts)]
    if isinstance(command, click.Group):
        if not rest:
            return [*problems, Problem(Kind.MISSING_ARGUMENT, f"`{label}` needs a command")]
        if _opaque(rest[0]):
            return problems
        sub = command.get_command(ctx, rest[0])
        if sub is None:
            known = ", ".join(command.list_commands(ctx))
            message = f"no command `{label} {rest[0]}` (there are: {known})"
            return [*problems, Problem(Kind.UNKNOWN_COMMAND, message)]
        return problems + _walk(sub, rest[0], rest[1:], ctx)
    # An opaque word may expand to nothing (an empty `${{ inputs.flags }}`): only words
    # written out are surely too many.
    if rest and not all(_opaque(word) for word in rest):
        extra = " ".join(rest)
        problems.append(Problem(Kind.EXTRA_ARGUMENT, f"`{label}` takes no argument {extra}"))
    return problems


def _long_options(command: click.Command, ctx: click.Context) -> list[str]:
    return [
        name
        for param in command.get_params(ctx)
        if isinstance(param, click.Option)
        for name in (*param.opts, *param.secondary_opts)
        if name.startswith("--")
    ]


def _value(ctx: click.Context, param: click.Parameter, opts: dict[str, object]) -> list[Problem]:
    assert param.name is not None
    value = opts.get(param.name)
    shown = param.opts[0] if isinstance(param, click.Option) else param.human_readable_name
    if value is None or value is UNSET or value == ():
        if param.required:
            return [Problem(Kind.MISSING_ARGUMENT, f"`{ctx.command_path}` needs {shown}")]
        return []
    if _opaque(value):
        return []
    try:
        param.type_cast_value(ctx, value)
    except click.BadParameter as exc:
        return [Problem(Kind.BAD_VALUE, f"{shown} of `{ctx.command_path}`: {exc.message}")]
    return []
