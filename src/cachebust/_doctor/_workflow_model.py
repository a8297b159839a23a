"""GitHub Actions workflows as the doctor needs them: does a push to the default branch
trigger them, and what each step runs.

Read with PyYAML (note that YAML 1.1 reads the key `on` as `True`). Line numbers are
found by locating each `run:` script's first line in the file, which is enough to
point at a step.
"""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from cachebust._yaml import safe_load

# GitHub substitutes ${{ ... }} before the shell runs; without the spaces the
# expression stays one shell word, as its value will be.
_EXPRESSION = re.compile(r"\$\{\{\s*(.*?)\s*\}\}")


class WorkflowError(Exception):
    """A workflow file that is not valid YAML or not a workflow mapping."""


@dataclass(frozen=True, slots=True)
class Step:
    job: str
    name: str
    #: The `run:` script with `${{ }}` expressions made single words; "" for `uses:` steps.
    run: str
    uses: str
    #: The `with:` inputs, string values with `${{ }}` made single words too.
    with_: Mapping[str, Any]
    #: 1-based line of the script's first line (of `uses:` for a step without a script)
    #: in the workflow file (0 when unknown).
    line: int


@dataclass(frozen=True, slots=True)
class Workflow:
    path: Path
    shown: str
    #: The default-branch names a push to which runs this workflow.
    push_branches: tuple[str, ...]
    steps: tuple[Step, ...]

    @property
    def on_push(self) -> bool:
        return bool(self.push_branches)


def find_workflows(root: Path) -> list[Path]:
    folder = root / ".github" / "workflows"
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if p.suffix in (".yml", ".yaml") and p.is_file())


def default_branches(root: Path) -> tuple[str, ...]:
    """The default branch from the clone's `origin/HEAD`, else the two usual names."""
    head = root / ".git" / "refs" / "remotes" / "origin" / "HEAD"
    try:
        ref = head.read_text(encoding="utf-8").strip()
    except OSError:
        return ("main", "master")
    prefix = "ref: refs/remotes/origin/"
    return (ref[len(prefix) :],) if ref.startswith(prefix) else ("main", "master")


def load_workflow(path: Path, shown: str, branches: tuple[str, ...]) -> Workflow:
    try:
        text = path.read_text(encoding="utf-8")
        data = safe_load(text)
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise WorkflowError(str(exc).replace("\n", " ")) from None
    if not isinstance(data, dict):
        raise WorkflowError("the file is not a mapping with `on:` and `jobs:`")
    triggers = data.get("on", data.get(True))
    steps = tuple(_steps(data.get("jobs"), text.splitlines()))
    return Workflow(path, shown, _push_branches(triggers, branches), steps)


def _push_branches(triggers: object, branches: tuple[str, ...]) -> tuple[str, ...]:
    if triggers == "push" or (isinstance(triggers, list) and "push" in triggers):
        return branches
    if not isinstance(triggers, dict) or "push" not in triggers:
        return ()
    push = triggers["push"]
    if not isinstance(push, dict):
        return branches  # `push:` with no filter: every branch
    include = push.get("branches")
    exclude = push.get("branches-ignore")
    if include is None and exclude is None and ("tags" in push or "tags-ignore" in push):
        return ()  # tag pushes only
    return tuple(
        branch
        for branch in branches
        if (include is None or _matches(branch, include))
        and (exclude is None or not _matches(branch, exclude))
    )


def _matches(branch: str, patterns: object) -> bool:
    items = patterns if isinstance(patterns, list) else [patterns]
    verdict = False
    for pattern in (str(p) for p in items):
        negated = pattern.startswith("!")
        if fnmatch.fnmatchcase(branch, pattern.lstrip("!")):
            verdict = not negated  # later patterns win, as in GitHub's filter
    return verdict


def _steps(jobs: object, lines: list[str]) -> Iterator[Step]:
    if not isinstance(jobs, dict):
        return
    cursor = 0  # steps come in file order: search for each one after the previous
    for job_id, job in jobs.items():
        if not isinstance(job, dict) or not isinstance(job.get("steps"), list):
            continue
        for number, step in enumerate(job["steps"], start=1):
            if not isinstance(step, dict):
                continue
            raw = str(step.get("run") or "")
            with_ = step.get("with")
            uses = str(step.get("uses") or "")
            line = _line_of(raw or (f"uses: {uses}" if uses else ""), lines, cursor)
            cursor = max(cursor, line)
            yield Step(
                job=str(job_id),
                name=str(step.get("name") or step.get("uses") or f"step {number}"),
                run=_words(raw),
                uses=uses,
                with_={
                    str(key): _words(value) if isinstance(value, str) else value
                    for key, value in (with_.items() if isinstance(with_, dict) else ())
                },
                line=line,
            )


def local_action_scripts(root: Path, uses: str) -> tuple[str, ...]:
    """The `run:` scripts of the composite action a step `uses: ./PATH` (in the
    repository at `root`); () for another action, or one that cannot be read."""
    if not uses.startswith("./"):
        return ()
    folder = (root / uses).resolve()
    if not folder.is_relative_to(root.resolve()):
        return ()
    for name in ("action.yml", "action.yaml"):
        try:
            data = safe_load((folder / name).read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, yaml.YAMLError):
            continue
        runs = data.get("runs") if isinstance(data, dict) else None
        steps = runs.get("steps") if isinstance(runs, dict) else None
        if isinstance(steps, list):
            return tuple(str(s["run"]) for s in steps if isinstance(s, dict) and s.get("run"))
    return ()


def _words(text: str) -> str:
    return _EXPRESSION.sub(lambda m: "${{" + m.group(1).replace(" ", "") + "}}", text)


def _line_of(run: str, lines: list[str], start: int) -> int:
    first = next((line.strip() for line in run.splitlines() if line.strip()), "")
    if not first:
        return 0
    for index in range(start, len(lines)):
        if first in lines[index]:
            return index + 1
    return 0
