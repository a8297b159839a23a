"""How commands show their progress: plain lines, JSON lines, or a live display.

- plain (output is not a terminal): one stable line per event, no timestamps, so
  scripts and the guide's console examples can compare it;
- JSON lines (`--json`): one object per event;
- live (a terminal): the same lines, plus a spinner with the status, the build stage
  and the elapsed time, drawn by rich (imported only then). NO_COLOR is respected.

```python
out = make_output(as_json=False)
out.emit("Redeploying my-app/web.", {"event": "redeploy"})
out.change(change)
out.close()
```
"""

from __future__ import annotations

import json
import os
import sys
from typing import TYPE_CHECKING, Any, Protocol, TextIO

from cachebust._clock import Clock, system_clock
from cachebust._durations import format_duration

if TYPE_CHECKING:
    from rich.console import RenderableType

    from cachebust._watch import Change


class Output(Protocol):
    """Where a command's events go."""

    def emit(self, text: str, event: dict[str, Any]) -> None:
        """Show one event: `text` for people, `event` for `--json`."""

    def change(self, change: Change) -> None:
        """Show a new deployment status or build stage."""

    def close(self) -> None:
        """Finish the output (stop the live display)."""


class PlainOutput:
    """One line per event."""

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream

    def emit(self, text: str, event: dict[str, Any]) -> None:
        self._write(text)

    def change(self, change: Change) -> None:
        self._write(change.line())

    def close(self) -> None:
        self._stream.flush()

    def _write(self, text: str) -> None:
        self._stream.write(text + "\n")
        self._stream.flush()


class JsonOutput(PlainOutput):
    """One JSON object per event."""

    def emit(self, text: str, event: dict[str, Any]) -> None:
        self._write(json.dumps(event))

    def change(self, change: Change) -> None:
        self._write(json.dumps(change.to_json()))


class LiveOutput:
    """The plain lines, plus a live spinner line while a deployment is in progress."""

    def __init__(self, stream: TextIO, clock: Clock | None = None) -> None:
        from rich.console import Console
        from rich.live import Live
        from rich.spinner import Spinner

        self._clock = clock if clock is not None else system_clock()
        self._console = Console(file=stream, no_color=bool(os.environ.get("NO_COLOR")))
        self._spinner = Spinner("dots", style="cyan")
        self._live = Live(console=self._console, transient=True, refresh_per_second=8)
        self._live.update(self, refresh=False)
        self._latest: Change | None = None
        self._since = self._clock.monotonic()

    def __rich__(self) -> RenderableType:
        change = self._latest
        if change is None:
            return ""
        parts = [change.status]
        stage = change.stage
        if stage is not None and change.deployment.building:
            parts.append(f"stage {stage.name}: {stage.status}")
        parts.append(format_duration(change.elapsed + self._clock.monotonic() - self._since))
        self._spinner.update(text=" · ".join(parts))
        return self._spinner

    def emit(self, text: str, event: dict[str, Any]) -> None:
        self._print(text)

    def change(self, change: Change) -> None:
        self._latest, self._since = change, self._clock.monotonic()
        self._print(change.line())
        if change.finished:
            self._live.stop()
        elif not self._live.is_started:
            self._live.start()

    def close(self) -> None:
        self._live.stop()

    def _print(self, text: str) -> None:
        # soft_wrap: long lines stay one line, as in the plain output.
        self._console.print(text, markup=False, highlight=False, soft_wrap=True)


def make_output(*, as_json: bool, stream: TextIO | None = None) -> Output:
    """JSON lines if asked, a live display on a terminal, plain lines otherwise."""
    out = stream or sys.stdout
    if as_json:
        return JsonOutput(out)
    if out.isatty() and os.environ.get("TERM") != "dumb":
        return LiveOutput(out)
    return PlainOutput(out)
