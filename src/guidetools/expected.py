"""Expected output, as a page writes it below a command, against what the command printed.

The rules (also in CONTRIBUTING.md):

- Lines are compared exactly, trailing spaces and trailing blank lines aside.
- A line `...` matches any number of lines, none included. Use it only where the
  output genuinely varies (a real build's log, timing-dependent progress lines).
- Named patterns inside a line match what varies from run to run:
  `<id>` a Koyeb id (a UUID, or the 8-character short form the CLIs print),
  `<time>` an RFC 3339 timestamp, `<duration>` a duration as `cachebust` prints it
  (`45s`, `3m05s`, `1h02m00s`, `0.4s`), `<hex>` a hexadecimal string (digests, SHAs),
  `<n>` a whole number that depends on the build (a count of steps).
  Anything else in angle brackets, such as `<token>`, is literal text.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

ELLIPSIS = "..."
PATTERNS = {
    "id": r"[0-9a-f]{8}(?:-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})?",
    "time": r"\d{4}-\d\d-\d\d[T ]\d\d:\d\d:\d\d(?:\.\d+)?(?:Z|[+-]\d\d:\d\d)?",
    "duration": r"(?:\d+h)?(?:\d+m)?\d+(?:\.\d+)?s|\d+h\d\dm|\d+m",
    "hex": r"[0-9a-f]+",
    "n": r"\d+",
}
_NAMED = re.compile("<(" + "|".join(PATTERNS) + ")>")


def line_pattern(expected: str) -> re.Pattern[str]:
    """An expected output line as a regular expression (its named patterns expanded)."""
    parts = _NAMED.split(expected)
    regex = "".join(
        f"(?:{PATTERNS[part]})" if odd else re.escape(part)
        for odd, part in ((i % 2 == 1, p) for i, p in enumerate(parts))
    )
    return re.compile(regex)


def compare(expected: Sequence[str], actual: Sequence[str]) -> tuple[bool, list[str]]:
    """Whether `actual` matches `expected`, and a line-by-line listing of the best alignment.

    The alignment is a diff in which every page line must match its pattern and a
    `...` line takes any lines: the fewest lines added or removed, then the fewest
    lines left to a `...` (so a line the page shows is listed as matched).
    """
    wanted = [line.rstrip() for line in expected]
    steps = alignment(wanted, actual)
    same = not any(move in ("missing", "extra") for move, _, _ in steps)
    return same, _listing(wanted, actual, steps)


def alignment(expected: Sequence[str], actual: Sequence[str]) -> list[tuple[str, int, int]]:
    """The best alignment as steps (move, page line index, output line index), in order.

    Moves: `same` (a page line matched an output line), `take` (a `...` line took an
    output line), `end` (a `...` line ends), `missing` (a page line with no output
    line), `extra` (an output line with no page line).
    """
    wanted = [line.rstrip() for line in expected]
    patterns = [None if line == ELLIPSIS else line_pattern(line) for line in wanted]
    rows, cols = len(wanted), len(actual)
    # best[i][j]: the cheapest (cost, move) aligning wanted[i:] with actual[j:], where
    # cost is (lines added or removed, lines taken by a `...`).
    best: list[list[tuple[tuple[int, int], str]]] = [
        [((0, 0), "")] * (cols + 1) for _ in range(rows + 1)
    ]
    for i in range(rows, -1, -1):
        for j in range(cols, -1, -1):
            if i == rows and j == cols:
                continue
            options: list[tuple[tuple[int, int], str]] = []
            pattern = patterns[i] if i < rows else None
            if i < rows and pattern is None:
                options.append((best[i + 1][j][0], "end"))
                if j < cols:
                    options.append((_plus(best[i][j + 1][0], (0, 1)), "take"))
            elif i < rows and pattern is not None:
                if j < cols and pattern.fullmatch(actual[j]):
                    options.append((best[i + 1][j + 1][0], "same"))
                options.append((_plus(best[i + 1][j][0], (1, 0)), "missing"))
            if j < cols:
                options.append((_plus(best[i][j + 1][0], (1, 0)), "extra"))
            best[i][j] = min(options, key=lambda option: option[0])
    steps: list[tuple[str, int, int]] = []
    i = j = 0
    while i < rows or j < cols:
        move = best[i][j][1]
        steps.append((move, i, j))
        i += move in ("end", "same", "missing")
        j += move in ("take", "same", "extra")
    return steps


def _plus(cost: tuple[int, int], more: tuple[int, int]) -> tuple[int, int]:
    return cost[0] + more[0], cost[1] + more[1]


def _listing(
    wanted: Sequence[str], actual: Sequence[str], steps: Sequence[tuple[str, int, int]]
) -> list[str]:
    marks = {"take": "~", "same": " ", "extra": "+"}
    return [
        f"- {wanted[i]}" if move == "missing" else f"{marks[move]} {actual[j]}"
        for move, i, j in steps
        if move != "end"
    ]
