"""The GitHub Action's rebuild step (`action.yml`): `python -m cachebust._action`.

It maps the action's inputs (environment variables, never interpolated into a script)
to `cachebust rebuild --json` arguments, runs that command, and reads its JSON events as
they come: a plain line for each in the job's log, then the step's outputs
(`$GITHUB_OUTPUT`) and a Markdown job summary (`$GITHUB_STEP_SUMMARY`). When the
deployment failed or timed out, `cachebust logs --type build --json` gives the build
log's last lines for the summary. It exits with the rebuild's exit code, so the step
fails exactly when `cachebust rebuild` does. The commands' stderr (an error's three
lines) goes to the job's log as it is.

```python
report = Report()
for line in json_lines:
    report.add(json.loads(line))
report.outputs()   # {"deployment-id": "...", "status": "HEALTHY", ...}
print(report.summary())
```
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from collections import deque
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cachebust._durations import format_duration
from cachebust._errors import ConfigError

#: How many of the build log's last lines a failure's summary shows.
LAST_LOG_LINES = 20
#: The action's inputs, as the environment variables action.yml maps them to.
INPUTS = {
    "target": "INPUT_TARGET",
    "use-cache": "INPUT_USE_CACHE",
    "timeout": "INPUT_TIMEOUT",
    "wait": "INPUT_WAIT",
}


def rebuild_args(env: Mapping[str, str]) -> list[str]:
    """`cachebust rebuild` arguments from the inputs; an empty target means the caller's
    `[tool.cachebust]`, read by the command in the working directory."""
    args = ["rebuild", "--json"]
    if _flag(env, "use-cache"):
        args.append("--use-cache")
    if not _flag(env, "wait"):
        args.append("--no-wait")
    timeout = env.get(INPUTS["timeout"], "").strip()
    if timeout:
        args += ["--timeout", timeout]
    target = env.get(INPUTS["target"], "").strip()
    if target:
        args.append(target)
    return args


def _flag(env: Mapping[str, str], name: str) -> bool:
    value = env.get(INPUTS[name], "").strip().lower()
    if value in ("true", "false"):
        return value == "true"
    raise ConfigError(
        what=f"Invalid input {name}: {value!r}.",
        why=f"The action's {name} input is a boolean: true or false.",
        fix=f"Write `{name}: true` or `{name}: false` under `with:`, or leave it out.",
    )


@dataclass
class Report:
    """What the events of one `cachebust rebuild --json` said."""

    target: str = ""
    deployment_id: str = ""
    commit: str = ""
    status: str = ""
    #: (status, seconds after the watch began), consecutive repeats merged.
    statuses: list[tuple[str, float]] = field(default_factory=list)
    cache_verdict: str = ""
    cache_message: str = ""
    error: dict[str, Any] | None = None
    waited: bool = True
    log: deque[str] = field(default_factory=lambda: deque(maxlen=LAST_LOG_LINES))

    def add(self, event: Mapping[str, Any]) -> str | None:
        """Take one event in; the line it shows in the job's log (None: none)."""
        kind = event.get("event")
        if kind == "redeploy":
            self.target = str(event.get("target", ""))
            how = "with" if event.get("use_cache") else "without"
            return f"Redeploying {self.target} {how} the build cache."
        if kind == "created":
            self.deployment_id = str(event.get("deployment_id", ""))
            return f"Deployment {self.deployment_id} created."
        if kind == "not_waiting":
            self.waited = False
            return f"Not waiting; follow it with: cachebust watch {self.deployment_id}"
        if kind == "status":
            return self._status(event)
        if kind == "done":
            self.status = str(event.get("status", ""))
            return f"{self.target} is {self.status} on deployment {self.deployment_id}."
        if kind == "cache":
            self.cache_verdict = str(event.get("verdict", ""))
            self.cache_message = str(event.get("message", ""))
            return self.cache_message
        if kind == "error":
            self.error = dict(event)
            self.status = str(event.get("status") or self.status)
            return None  # the command prints the error on stderr, in the same log
        return None

    def _status(self, event: Mapping[str, Any]) -> str:
        status = str(event.get("status") or "(no status)")
        self.status = status
        self.commit = str(event.get("commit") or self.commit)
        if not self.statuses or self.statuses[-1][0] != status:
            self.statuses.append((status, float(event.get("elapsed") or 0.0)))
        stage, stage_status = event.get("stage"), event.get("stage_status")
        return f"{status} (stage {stage}: {stage_status})" if stage else status

    def outputs(self) -> dict[str, str]:
        """The step's outputs, as action.yml declares them."""
        return {
            "deployment-id": self.deployment_id,
            "status": self.status,
            "commit": self.commit,
            "cache-verdict": self.cache_verdict,
        }

    def summary(self) -> str:
        """The job summary, in GitHub-flavoured Markdown."""
        target = self.target or "(not resolved)"
        lines = [f"## cachebust rebuild: `{target}` {self._outcome()}", ""]
        lines += [
            f"- **Target:** `{target}`",
            f"- **Deployment:** {_code(self.deployment_id)}",
            f"- **Commit:** {_code(self.commit)}",
            f"- **Final status:** {_code(self.status)}",
            f"- **Build cache:** {_code(self.cache_verdict)}"
            + (f": {_text(self.cache_message)}" if self.cache_message else ""),
            "",
        ]
        if self.statuses:
            lines += ["| Status | From | Lasted |", "|---|---|---|"]
            for number, (status, since) in enumerate(self.statuses):
                following = self.statuses[number + 1 :]
                lasted = format_duration(following[0][1] - since) if following else ""
                lines.append(f"| {status} | {format_duration(since)} | {lasted} |")
            lines.append("")
        if self.error is not None:
            lines += [
                "### What failed",
                "",
                _text(str(self.error.get("what", ""))),
                "",
                f"**Why:** {_text(str(self.error.get('why', '')))}",
                "",
                f"**How to fix:** {_text(str(self.error.get('fix', '')))}",
                "",
            ]
            if self.log:
                fence = "`" * max(3, _longest_backticks(self.log) + 1)
                lines += [
                    "<details open><summary>The build log's last lines</summary>",
                    "",
                    f"{fence}text",
                    *self.log,
                    fence,
                    "",
                    "</details>",
                    "",
                ]
        return "\n".join(lines)

    def _outcome(self) -> str:
        if self.error is not None:
            return f"failed ({self.error.get('kind', 'error')})"
        if not self.waited:
            return "started (not waited for)"
        return self.status or "(no events)"


def _code(value: str) -> str:
    return f"`{value}`" if value else "(none)"


def _text(value: str) -> str:
    """Text from the API or an error, kept from being read as HTML."""
    return value.replace("&", "&amp;").replace("<", "&lt;")


def _longest_backticks(lines: deque[str]) -> int:
    longest = 0
    for line in lines:
        run = 0
        for char in line:
            run = run + 1 if char == "`" else 0
            longest = max(longest, run)
    return longest


def write_outputs(path: Path, outputs: Mapping[str, str]) -> None:
    """Append `name=value` lines to `$GITHUB_OUTPUT` (every value is one line)."""
    with path.open("a", encoding="utf-8") as handle:
        for name, value in outputs.items():
            handle.write(f"{name}={value.splitlines()[0] if value else ''}\n")


def run(env: Mapping[str, str]) -> int:
    """The step: run the rebuild, report it; the rebuild's exit code."""
    try:
        args = rebuild_args(env)
    except ConfigError as exc:
        from cachebust.cli import render_error

        render_error(exc)
        return int(exc.exit_code)
    report = Report()
    code = _follow(args, report)
    if report.error is not None and report.deployment_id:
        report.log.extend(_build_log(report))
        if report.log:
            print("The build log's last lines:", *report.log, sep="\n", flush=True)
    if env.get("GITHUB_OUTPUT"):
        write_outputs(Path(env["GITHUB_OUTPUT"]), report.outputs())
    if env.get("GITHUB_STEP_SUMMARY"):
        with Path(env["GITHUB_STEP_SUMMARY"]).open("a", encoding="utf-8") as handle:
            handle.write(report.summary() + "\n")
    return code


def _follow(args: list[str], report: Report) -> int:
    """Run `cachebust ARGS`, showing and recording its events; its exit code."""
    with subprocess.Popen(
        [sys.executable, "-m", "cachebust", *args], stdout=subprocess.PIPE, text=True
    ) as command:
        # A cancelled job signals the whole process group: the command settles what it
        # started and says so in its events, which this step must still read to the end.
        # (Ignored only now: a child started with SIGINT ignored would ignore Ctrl-C too.)
        for stop in (signal.SIGINT, signal.SIGTERM):
            signal.signal(stop, signal.SIG_IGN)
        assert command.stdout is not None
        for raw in command.stdout:
            shown = _read(report, raw.rstrip("\n"))
            if shown is not None:
                print(shown, flush=True)
    return command.returncode


def _build_log(report: Report) -> list[str]:
    """The last lines of the deployment's build log, [] when they cannot be read (the
    command says why on stderr)."""
    args = ["logs", report.target, "--type", "build", "--deployment", report.deployment_id]
    done = subprocess.run(
        [sys.executable, "-m", "cachebust", *args, "--json"],
        stdout=subprocess.PIPE,
        text=True,
        check=False,
    )
    lines = []
    for raw in done.stdout.splitlines():
        try:
            event = json.loads(raw)
        except ValueError:
            continue
        if isinstance(event, dict) and isinstance(event.get("msg"), str):
            lines.append(event["msg"])
    return lines[-LAST_LOG_LINES:]


def _read(report: Report, line: str) -> str | None:
    try:
        event = json.loads(line)
    except ValueError:
        return line
    return report.add(event) if isinstance(event, dict) else line


if __name__ == "__main__":
    sys.exit(run(os.environ))
