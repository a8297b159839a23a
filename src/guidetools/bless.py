"""Bless mode (`pytest --update-docs`, `make bless`): the expected output of the console
blocks whose output changed, rewritten in place from what the commands printed.

Only executed console blocks are rewritten: counter-examples, validated-only and
exempt blocks show output nothing runs, so nothing can bless it. For each command whose
output differs from the page, the new expected output is the alignment of the page's
lines with the output (`guidetools.expected.alignment`):

- a page line that still matches is kept as written: its placeholders (`<id>`,
  `<duration>`, ...) and macros (`{{ target }}`) stay;
- a `...` line is kept, with whatever it takes;
- a changed line keeps each placeholder of the page line it replaces wherever the new
  output still matches it (word by word), and a value of a macro the block uses is
  written back as the macro;
- a block whose macros change its number of lines, or whose output holds Jinja's
  delimiters, is not rewritten (its check fails as usual, saying why).

The rewrites are plain data (`Rewrite`): under pytest-xdist each worker hands its own to
the controller, which applies them all at the end of the session, once, and prints a
diff per file. The rewritten lines are checked against the output before they are
kept, so a normal run right after a bless passes.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from guidetools.expected import ELLIPSIS, PATTERNS, alignment, compare, line_pattern
from guidetools.transcript import Command

#: A word, a run of spaces, or one other character: what a changed line is compared by.
_TOKEN = re.compile(r"<(?:" + "|".join(PATTERNS) + r")>|\w+(?:[.:+-]\w+)*|\s+|.")
_JINJA = ("{{", "{%", "{#")


@dataclass(frozen=True, slots=True)
class Rewrite:
    """New expected output for one command: page lines `start` to `start + len(old) - 1`
    (1-based, as written, indent included) become `new`."""

    path: str
    start: int
    old: tuple[str, ...]
    new: tuple[str, ...]

    def as_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Rewrite:
        return cls(data["path"], data["start"], tuple(data["old"]), tuple(data["new"]))


class CannotBless(Exception):
    """Why a block's output cannot be rewritten safely."""


def expected_lines(
    page_lines: Sequence[str],
    rendered: Sequence[str],
    actual: Sequence[str],
    values: Mapping[str, str],
) -> tuple[list[str], list[str]]:
    """(new page lines, the same rendered) for a command whose output is `actual`.

    `page_lines` are the expected lines as the page writes them (macros unrendered),
    `rendered` the same with the macros rendered; `values` the block's macro values.
    """
    if any(delimiter in line for line in actual for delimiter in _JINJA):
        raise CannotBless("its output holds Jinja's delimiters, which a page cannot show as is")
    new: list[str] = []
    shown: list[str] = []
    old_run: list[int] = []
    new_run: list[int] = []

    def flush() -> None:
        for k, j in enumerate(new_run):
            line = _merged(rendered[old_run[k]], actual[j]) if k < len(old_run) else actual[j]
            shown.append(line)
            new.append(_with_macros(line, values))
        old_run.clear()
        new_run.clear()

    kept_ellipses: set[int] = set()
    for move, i, j in _reclaimed(alignment(rendered, actual)):
        if move == "missing":
            old_run.append(i)
        elif move == "extra":
            new_run.append(j)
        else:
            flush()
            if move == "same":
                new.append(page_lines[i])
                shown.append(rendered[i])
            elif i not in kept_ellipses:  # `take` or `end`: the `...` line, once
                kept_ellipses.add(i)
                new.append(page_lines[i])
                shown.append(rendered[i])
    flush()
    return new, shown


def _reclaimed(steps: list[tuple[str, int, int]]) -> list[tuple[str, int, int]]:
    """The alignment, with the output lines a `...` took back from it for the page lines
    beside it that match nothing: they changed, rather than left the output. (A page
    line after `...` is the output's tail; one before it, its head.)"""
    steps = list(steps)
    k = 0
    while k < len(steps):
        if steps[k][0] != "end":
            k += 1
            continue
        first = k
        while first > 0 and steps[first - 1][0] == "take":
            first -= 1
        after = k + 1
        while after < len(steps) and steps[after][0] == "missing":
            after += 1
        tail = min(after - k - 1, k - first)
        before = first
        while before > 0 and steps[before - 1][0] == "missing":
            before -= 1
        head = min(first - before, k - first - tail)
        takes = steps[first:k]
        given_head = [("extra", i, j) for _, i, j in takes[:head]]
        given_tail = [("extra", i, j) for _, i, j in takes[len(takes) - tail :]]
        kept = takes[head : len(takes) - tail]
        steps[first : k + 1] = [*given_head, *kept, steps[k], *given_tail]
        k = first + len(given_head) + len(kept) + 1 + len(given_tail)
    return steps


def block_rewrites(
    path: Path,
    first_line: int,
    indent: int,
    source: str,
    text: str,
    changed: Iterable[tuple[Command, Sequence[str]]],
    values: Mapping[str, str],
) -> list[tuple[Rewrite, Command]]:
    """A rewrite per command of a block (its `source` as written, `text` rendered) whose
    output changed, with the command as it reads after the rewrite."""
    page = source.splitlines()
    rendered = text.splitlines()
    if len(page) != len(rendered):
        raise CannotBless("its macros change its number of lines")
    used = {name: value for name, value in values.items() if "{{ " + name + " }}" in source}
    rewrites = []
    for command, actual in changed:
        # The output starts after the `$ ` line and its continuation lines.
        top = command.line - first_line + command.text.count("\n") + 1
        count = len(command.expected)
        new, shown = expected_lines(
            page[top : top + count], rendered[top : top + count], actual, used
        )
        same, _ = compare(shown, actual)
        if not same:
            raise CannotBless("the rewritten lines would not match the output")
        pad = " " * indent
        rewrite = Rewrite(
            str(path),
            first_line + top,
            tuple((pad + line).rstrip() for line in page[top : top + count]),
            tuple((pad + line).rstrip() for line in new),
        )
        rewrites.append((rewrite, Command(command.line, command.text, tuple(shown))))
    return rewrites


@dataclass(frozen=True, slots=True)
class Applied:
    """What a bless wrote: a unified diff per page changed, and the pages it left alone
    because they changed while the tests ran (with where)."""

    diffs: dict[str, list[str]]
    skipped: tuple[str, ...] = ()


def apply(root: Path, rewrites: Iterable[Rewrite]) -> Applied:
    """Write the rewrites into the pages under `root`, each page whole or not at all."""
    by_page: dict[str, list[Rewrite]] = {}
    for rewrite in rewrites:
        by_page.setdefault(rewrite.path, []).append(rewrite)
    diffs = {}
    skipped = []
    for page, found in sorted(by_page.items()):
        path = root / page
        before = path.read_text(encoding="utf-8").splitlines(keepends=True)
        after = list(before)
        # From the bottom up, so the lines above keep their numbers.
        for rewrite in sorted(set(found), key=lambda r: r.start, reverse=True):
            index = rewrite.start - 1
            current = [line.rstrip() for line in after[index : index + len(rewrite.old)]]
            if current != list(rewrite.old):
                skipped.append(f"{page}:{rewrite.start}")
                break
            after[index : index + len(rewrite.old)] = [line + "\n" for line in rewrite.new]
        else:
            if after != before:
                path.write_text("".join(after), encoding="utf-8")
                diffs[page] = list(difflib.unified_diff(before, after, f"a/{page}", f"b/{page}"))
    return Applied(diffs, tuple(skipped))


def summary(applied: Applied) -> list[str]:
    """What a bless changed: per page, lines removed and added, then the diff."""
    lines = [
        f"docs bless: {where}: not rewritten, the page changed while the tests ran"
        for where in applied.skipped
    ]
    if not applied.diffs:
        return [*lines, "docs bless: no expected output changed"]
    for page, diff in applied.diffs.items():
        removed = sum(1 for line in diff if line.startswith("-") and not line.startswith("---"))
        added = sum(1 for line in diff if line.startswith("+") and not line.startswith("+++"))
        lines.append(f"docs bless: {page}: -{removed} +{added} lines")
    for diff in applied.diffs.values():
        lines += [line.rstrip("\n") for line in diff]
    return lines


def _merged(old: str, actual: str) -> str:
    """`actual`, keeping each placeholder of `old` where `actual` still matches it."""
    before = _TOKEN.findall(old)
    after = _TOKEN.findall(actual)
    # Longest common subsequence of words, a placeholder matching what its pattern takes.
    rows, cols = len(before), len(after)
    table = [[0] * (cols + 1) for _ in range(rows + 1)]
    for i in range(rows - 1, -1, -1):
        for j in range(cols - 1, -1, -1):
            if _same(before[i], after[j]):
                table[i][j] = table[i + 1][j + 1] + 1
            else:
                table[i][j] = max(table[i + 1][j], table[i][j + 1])
    out: list[str] = []
    i = j = 0
    while j < cols:
        if i < rows and _same(before[i], after[j]):
            out.append(before[i])
            i, j = i + 1, j + 1
        elif i < rows and table[i + 1][j] >= table[i][j + 1]:
            i += 1
        else:
            out.append(after[j])
            j += 1
    return "".join(out)


def _same(word: str, printed: str) -> bool:
    return line_pattern(word).fullmatch(printed) is not None


def _with_macros(line: str, values: Mapping[str, str]) -> str:
    """`line` with each value of a macro the block uses written as that macro."""
    if not values or line == ELLIPSIS:
        return line
    ordered = sorted(values.items(), key=lambda item: len(item[1]), reverse=True)
    pattern = re.compile(
        "|".join(rf"(?<![\w/.-]){re.escape(value)}(?![\w/-])" for _, value in ordered if value)
    )
    names = {value: name for name, value in ordered}
    return pattern.sub(lambda match: "{{ " + names[match[0]] + " }}", line)
