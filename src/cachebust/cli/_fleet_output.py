"""How `cachebust rebuild` shows several services at once (`cachebust._fleet`).

- plain (not a terminal): each event as one line, prefixed with its service;
- JSON lines (`--json`): each event with a `target` field, then one `result` event per
  service;
- live (a terminal): one line per service, redrawn in place with its latest status and
  elapsed time (rich, imported only then).

All three print each failure's three lines (What / Why / Fix) to stderr, its service
first, and end, except JSON, with a table: service, deployment, final status, duration,
cache verdict. Workers call them from several threads: one lock orders the writes.
"""

from __future__ import annotations

import json
import os
import sys
import threading
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, Protocol, TextIO

from cachebust._clock import Clock, system_clock
from cachebust._durations import format_duration
from cachebust._fleet import FleetOutput

if TYPE_CHECKING:
    from rich.console import RenderableType

    from cachebust._errors import CachebustError
    from cachebust._fleet import Result
    from cachebust._watch import Change

COLUMNS = ("SERVICE", "DEPLOYMENT", "STATUS", "DURATION", "CACHE")
#: A live line's text before its service's turn comes (--parallel).
WAITING = "waiting for a slot"


class FleetDisplay(FleetOutput, Protocol):
    """A `FleetOutput` that also ends with the results."""

    def results(self, results: Sequence[Result]) -> None: ...

    def close(self) -> None: ...


def error_lines(target: str, error: CachebustError) -> list[str]:
    """A failure's three lines, as the CLI renders an error, naming its service."""
    from cachebust.cli import one_line

    return [
        f"{target}: Error: {one_line(error.what)}",
        f"  Why: {one_line(error.why)}",
        f"  Fix: {one_line(error.fix)}",
    ]


def table(results: Sequence[Result]) -> list[str]:
    """The results as aligned columns (no colour, so it reads the same in a log)."""
    rows = [COLUMNS] + [
        (
            result.target,
            result.deployment_id or "-",
            result.status or "-",
            format_duration(result.seconds),
            result.verdict or "-",
        )
        for result in results
    ]
    widths = [max(len(row[n]) for row in rows) for n in range(len(COLUMNS))]
    return [
        "  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip()
        for row in rows
    ]


class PlainFleet:
    """One line per event, its service first."""

    def __init__(self, stream: TextIO, errors: TextIO) -> None:
        self._stream, self._errors = stream, errors
        self._lock = threading.Lock()

    def emit(self, target: str, text: str, event: dict[str, Any]) -> None:
        self._write(self._stream, [f"{target}: {text}"])

    def change(self, target: str, change: Change) -> None:
        self._write(self._stream, [f"{target}: {change.line()}"])

    def fail(self, target: str, error: CachebustError) -> None:
        self._write(self._errors, error_lines(target, error))

    def results(self, results: Sequence[Result]) -> None:
        self._write(self._stream, table(results))

    def close(self) -> None:
        self._stream.flush()

    def _write(self, stream: TextIO, lines: list[str]) -> None:
        with self._lock:
            for line in lines:
                stream.write(line + "\n")
            stream.flush()


class JsonFleet(PlainFleet):
    """One JSON object per event, each with its `target`."""

    def emit(self, target: str, text: str, event: dict[str, Any]) -> None:
        self._json(target, event)

    def change(self, target: str, change: Change) -> None:
        self._json(target, change.to_json())

    def fail(self, target: str, error: CachebustError) -> None:
        self._json(target, error.to_json())
        super().fail(target, error)

    def results(self, results: Sequence[Result]) -> None:
        for result in results:
            self._write(self._stream, [json.dumps(result.to_json())])

    def _json(self, target: str, event: dict[str, Any]) -> None:
        kind = event.get("event")
        self._write(self._stream, [json.dumps({"event": kind, "target": target, **event})])


class LiveFleet:
    """One line per service, redrawn in place; failures and the table printed above."""

    def __init__(
        self,
        targets: Sequence[str],
        stream: TextIO,
        errors: TextIO | None = None,
        clock: Clock | None = None,
    ) -> None:
        from rich.console import Console
        from rich.live import Live

        self._clock = clock if clock is not None else system_clock()
        no_color = bool(os.environ.get("NO_COLOR"))
        self._console = Console(file=stream, no_color=no_color)
        # Without a stream of its own, stderr as it is when printing: while the display
        # runs, rich's stand-in, which prints above the redrawn lines.
        self._errors = Console(file=errors, stderr=errors is None, no_color=no_color)
        self._lock = threading.Lock()
        since = self._clock.monotonic()
        #: target -> (latest line, when the rebuild began, whether it ended)
        self._rows = {target: (WAITING, since, False) for target in targets}
        self._width = max(len(target) for target in targets)
        self._live = Live(console=self._console, transient=True, refresh_per_second=4)
        self._live.update(self, refresh=False)
        self._live.start()

    def __rich__(self) -> RenderableType:
        from rich.console import Group
        from rich.text import Text

        now = self._clock.monotonic()
        lines = []
        with self._lock:
            for target, (text, since, ended) in self._rows.items():
                running = not ended and text != WAITING
                elapsed = f"  {format_duration(now - since)}" if running else ""
                line = Text(f"{target:<{self._width}}  {text}{elapsed}", no_wrap=True)
                line.overflow = "ellipsis"
                lines.append(line)
        return Group(*lines)

    def emit(self, target: str, text: str, event: dict[str, Any]) -> None:
        kind = event.get("event")
        with self._lock:
            shown, since, _ = self._rows[target]
            if kind == "redeploy":
                shown, since = "redeploying", self._clock.monotonic()
            elif kind == "created":
                shown = f"deployment {str(event.get('deployment_id'))[:8]} created"
            elif kind == "not_waiting":
                shown = "created, not waited for"
            elif kind == "done":
                shown = str(event.get("status"))
            elif kind == "cache":
                shown = f"{shown}, cache: {event.get('verdict') or 'not read'}"
            self._rows[target] = (shown, since, kind in ("done", "cache", "not_waiting"))

    def change(self, target: str, change: Change) -> None:
        with self._lock:
            _, since, _ = self._rows[target]
            self._rows[target] = (change.line(), since, change.finished)

    def fail(self, target: str, error: CachebustError) -> None:
        from rich.text import Text

        with self._lock:
            _, since, _ = self._rows[target]
            self._rows[target] = (f"failed: {error.what}", since, True)
        self._errors.print(Text("\n".join(error_lines(target, error))), soft_wrap=True)

    def results(self, results: Sequence[Result]) -> None:
        self.close()
        for line in table(results):
            self._console.print(line, markup=False, highlight=False, soft_wrap=True)

    def close(self) -> None:
        self._live.stop()


def make_fleet_display(
    targets: Sequence[str], *, as_json: bool, stream: TextIO | None = None
) -> FleetDisplay:
    """JSON lines if asked, a live display on a terminal, plain lines otherwise."""
    out, errors = stream or sys.stdout, sys.stderr
    if as_json:
        return JsonFleet(out, errors)
    if out.isatty() and os.environ.get("TERM") != "dumb":
        return LiveFleet(targets, out)
    return PlainFleet(out, errors)
