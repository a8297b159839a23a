"""A small runner of a composite action's steps, as `action.yml` declares them.

It does what GitHub's runner does for a composite action, as far as `action.yml` uses
it: the inputs with their defaults, `${{ inputs.* }}`, `${{ steps.<id>.outputs.* }}`
and `${{ github.action_path }}` in `env:`, `with:` and the outputs' `value:`; each
`run:` written to a file and run with its `shell:` (bash as GitHub starts it: `bash
--noprofile --norc -eo pipefail FILE`); a fresh `$GITHUB_OUTPUT` file per step, read
into `steps.<id>.outputs`; `$GITHUB_STEP_SUMMARY` files joined into the job summary;
the steps after a failed one skipped. Any other expression fails the run: the runner
does not guess.

Steps it cannot run here are stood in for, by id, with the outputs they would give
(`stand_ins`): a `uses:` step (another action) and the install step, which downloads
from PyPI; tests touch only loopback, and the install step's own test lints it and
checks the files it reads.
"""

from __future__ import annotations

import os
import re
import subprocess
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

_EXPRESSION = re.compile(r"\$\{\{\s*(.*?)\s*\}\}")
#: How GitHub runs `shell: bash` (its documented template).
SHELLS = {"bash": ("bash", "--noprofile", "--norc", "-eo", "pipefail")}


class ActionError(Exception):
    """The action uses something this runner does not do as GitHub would."""


@dataclass
class StepRun:
    id: str
    returncode: int
    stdout: str
    stderr: str
    outputs: dict[str, str]
    stood_in: bool = False


@dataclass
class ActionRun:
    outputs: dict[str, str]
    summary: str
    steps: list[StepRun] = field(default_factory=list)

    @property
    def failed(self) -> bool:
        return any(step.returncode != 0 for step in self.steps)

    def step(self, step_id: str) -> StepRun:
        return next(step for step in self.steps if step.id == step_id)


def load(path: Path) -> dict[str, Any]:
    action: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8"))
    if action["runs"]["using"] != "composite":
        raise ActionError("only composite actions are run")
    return action


def run_action(
    path: Path,
    *,
    inputs: Mapping[str, str],
    env: Mapping[str, str],
    workdir: Path,
    temp: Path,
    stand_ins: Mapping[str, Mapping[str, str]],
) -> ActionRun:
    """Run the action at `path` (its `action.yml`) in `workdir`, with `env` as the job's
    environment."""
    action = load(path)
    declared = action.get("inputs") or {}
    unknown = set(inputs) - set(declared)
    if unknown:
        raise ActionError(f"inputs the action does not declare: {sorted(unknown)}")
    values = {
        name: inputs.get(name, str(spec.get("default", ""))) for name, spec in declared.items()
    }
    context: dict[str, Any] = {
        "inputs": values,
        "steps": {},
        "github": {"action_path": str(path.parent)},
    }
    result = ActionRun(outputs={}, summary="")
    summaries: list[str] = []
    for number, step in enumerate(action["runs"]["steps"], start=1):
        step_id = str(step.get("id") or f"step{number}")
        if result.failed:
            break
        if step_id in stand_ins:
            _resolve(step.get("with") or {}, context)  # its inputs must still resolve
            outputs = dict(stand_ins[step_id])
            result.steps.append(StepRun(step_id, 0, "", "", outputs, stood_in=True))
        elif "uses" in step:
            raise ActionError(f"step {step_id} uses {step['uses']}: give it a stand-in")
        else:
            ran = _run_step(step, step_id, context, env, workdir, temp / step_id, path.parent)
            result.steps.append(ran)
            summaries.append((temp / step_id / "summary.md").read_text(encoding="utf-8"))
            outputs = ran.outputs
        context["steps"][step_id] = {"outputs": outputs}
    result.summary = "".join(summaries)
    result.outputs = {
        name: _substitute(str(spec["value"]), context)
        for name, spec in (action.get("outputs") or {}).items()
    }
    return result


def _run_step(
    step: Mapping[str, Any],
    step_id: str,
    context: Mapping[str, Any],
    env: Mapping[str, str],
    workdir: Path,
    folder: Path,
    action_path: Path,
) -> StepRun:
    script = str(step["run"])
    if _EXPRESSION.search(script):
        raise ActionError(f"step {step_id}: an expression inside run: (template injection)")
    shell = SHELLS.get(str(step.get("shell")))
    if shell is None:
        raise ActionError(f"step {step_id}: shell {step.get('shell')!r} is not run here")
    folder.mkdir(parents=True)
    (folder / "script.sh").write_text(script, encoding="utf-8")
    output, summary = folder / "output", folder / "summary.md"
    output.touch()
    summary.touch()
    step_env = {
        **env,
        **_resolve(step.get("env") or {}, context),
        "GITHUB_ACTION_PATH": str(action_path),
        "GITHUB_OUTPUT": str(output),
        "GITHUB_STEP_SUMMARY": str(summary),
        "GITHUB_WORKSPACE": str(workdir),
        "RUNNER_TEMP": str(folder.parent),
    }
    done = subprocess.run(
        [*shell, str(folder / "script.sh")],
        cwd=workdir,
        env=step_env,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    outputs = parse_output_file(output.read_text(encoding="utf-8"))
    return StepRun(step_id, done.returncode, done.stdout, done.stderr, outputs)


def _resolve(values: Mapping[str, Any], context: Mapping[str, Any]) -> dict[str, str]:
    return {str(key): _substitute(str(value), context) for key, value in values.items()}


def _substitute(text: str, context: Mapping[str, Any]) -> str:
    return _EXPRESSION.sub(lambda match: _evaluate(match.group(1), context), text)


def _evaluate(expression: str, context: Mapping[str, Any]) -> str:
    parts = expression.split(".")
    if not all(re.fullmatch(r"[A-Za-z_][\w-]*", part) for part in parts):
        raise ActionError(f"expression not supported here: {expression!r}")
    value: Any = context
    for part in parts:
        if not isinstance(value, Mapping) or part not in value:
            if parts[0] == "steps" and len(parts) == 4 and isinstance(value, Mapping):
                return ""  # an output a step did not set is empty, as on GitHub
            raise ActionError(f"unknown name in expression: {expression!r}")
        value = value[part]
    return str(value)


def parse_output_file(text: str) -> dict[str, str]:
    """`name=value` lines and `name<<DELIMITER` blocks, as GitHub reads them."""
    outputs: dict[str, str] = {}
    lines = iter(text.splitlines())
    for line in lines:
        if "<<" in line and ("=" not in line or line.index("<<") < line.index("=")):
            name, delimiter = line.split("<<", 1)
            block = []
            for inner in lines:
                if inner == delimiter:
                    break
                block.append(inner)
            else:
                raise ActionError(f"output {name}: no closing {delimiter!r}")
            outputs[name] = "\n".join(block)
        elif line:
            name, _, value = line.partition("=")
            outputs[name] = value
    return outputs


def job_env(**extra: str) -> dict[str, str]:
    """A job's environment: this machine's PATH and nothing of its other settings."""
    return {"PATH": os.environ["PATH"], "LANG": "C.UTF-8", **extra}
