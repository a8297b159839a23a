"""The pipeline half of the troubleshooting list: does a push to the default branch force
an uncached Koyeb build, and are the `koyeb` command lines in the workflows ones the
CLI accepts?

Forcing an uncached build means one of: `cachebust rebuild` (without `--use-cache`),
or this project's action used from the repository itself (`uses: ./`, without
`use-cache: true`); `koyeb service redeploy` without `--use-cache` or `--skip-build` (the CLI sends
`use_cache: false`); `koyeb service update --skip-cache`; `koyeb deploy --skip-cache`;
or a `docker build` whose cache-bust build argument gets a value that changes on every
run (`github.sha`, `github.run_id`, a timestamp).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from cachebust._doctor._report import Check, failed, passed, warned
from cachebust._doctor._workflow_model import (
    Step,
    Workflow,
    WorkflowError,
    default_branches,
    find_workflows,
    load_workflow,
    local_action_scripts,
)
from cachebust._koyeb_cli import (
    DOCKER_ARGS_FLAGS,
    CommandLine,
    CommandSpec,
    Invalid,
    KoyebCommand,
    Unvalidated,
    build_arg_in_docker_args,
    find_commands,
    table,
    validate_text,
)

_CHANGING = re.compile(
    r"github\.(sha|run_id|run_number)|github_(sha|run_id|run_number)|head_commit\.id"
    r"|\$\(date|`date|\$random|\$epochseconds|uuidgen",
    re.IGNORECASE,
)
#: What this project's action (action.yml) runs to rebuild: how a local use of it is known.
ACTION_MODULE = "-m cachebust._action"
_HINTS = {
    ("redeploy", "--skip-cache"): "A redeploy without --use-cache already builds without the "
    "cache: drop --skip-cache.",
    ("logs", "--follow"): "`--tail` is the follow mode of `koyeb service logs`.",
    ("logs", "-f"): "`--tail` is the follow mode of `koyeb service logs`.",
}


@dataclass(frozen=True, slots=True)
class WorkflowTarget:
    root: Path
    #: The cache-bust build argument's name, when known.
    arg: str | None
    #: `app/service` for fix texts (or a placeholder).
    service: str


@dataclass(frozen=True, slots=True)
class _Deploy:
    forcing: bool
    what: str
    workflow: Workflow
    step: Step
    where: str


@dataclass(slots=True)
class _Scan:
    target: WorkflowTarget
    checks: list[Check] = field(default_factory=list)
    deploys: list[_Deploy] = field(default_factory=list)
    valid_lines: int = 0
    unvalidated_lines: int = 0


def check_workflows(target: WorkflowTarget) -> list[Check]:
    paths = find_workflows(target.root)
    if not paths:
        return [
            warned(
                "workflows.found",
                "No GitHub workflow in .github/workflows: nothing asks for an uncached build "
                "when you push.",
                _add_job_fix(target),
            )
        ]
    scan = _Scan(target)
    workflows: list[Workflow] = []
    branches = default_branches(target.root)
    for path in paths:
        shown = path.relative_to(target.root).as_posix()
        try:
            workflows.append(load_workflow(path, shown, branches))
        except WorkflowError as exc:
            scan.checks.append(
                failed("workflows.yaml", f"{shown} cannot be read: {exc}", "Fix the YAML.", shown)
            )
    names = ", ".join(w.path.name for w in workflows) or "none readable"
    found = passed("workflows.found", f"{len(workflows)} workflow(s) read: {names}.")
    for workflow in workflows:
        for step in workflow.steps:
            _scan_step(scan, workflow, step)
    if scan.valid_lines or scan.unvalidated_lines:
        unchecked = (
            f" ({scan.unvalidated_lines} outside its flag table, not checked)"
            if scan.unvalidated_lines
            else ""
        )
        if not any(c.id == "workflows.koyeb-cli" for c in scan.checks):
            scan.checks.append(
                passed(
                    "workflows.koyeb-cli",
                    f"{scan.valid_lines} `koyeb` command line(s) match the CLI's flag "
                    f"table{unchecked}.",
                )
            )
    return [found, *scan.checks, _forced_rebuild(scan)]


def _scan_step(scan: _Scan, workflow: Workflow, step: Step) -> None:
    def where(found: CommandLine) -> str:
        return f"{workflow.shown}:{step.line + found.lineno - 1}" if step.line else workflow.shown

    for found, verdict in validate_text(step.run):
        mistake = _build_arg_mistake(scan, found, where(found))
        if isinstance(verdict, Invalid):
            _invalid_line(scan, found, verdict, where(found), skip_docker_args=mistake)
        elif isinstance(verdict, KoyebCommand):
            scan.valid_lines += 1
            _classify_koyeb(scan, verdict, workflow, step, where(found))
        else:
            scan.unvalidated_lines += 1
            _classify_unvalidated(scan, verdict, workflow, step, where(found))
    for found in find_commands(step.run, program="cachebust"):
        if found.argv[1:2] == ("rebuild",):
            forcing = not {"--use-cache", "--dry-run"} & set(found.argv)
            deploy = _Deploy(forcing, " ".join(found.argv), workflow, step, where(found))
            scan.deploys.append(deploy)
    if any(ACTION_MODULE in script for script in local_action_scripts(scan.target.root, step.uses)):
        # The action runs `cachebust rebuild`, with --use-cache when its input says so.
        forcing = str(step.with_.get("use-cache", "false")).strip().lower() != "true"
        at = f"{workflow.shown}:{step.line}" if step.line else workflow.shown
        scan.deploys.append(_Deploy(forcing, "cachebust rebuild", workflow, step, at))
    for found in find_commands(step.run, program="docker"):
        changing = _changing_build_arg(scan.target.arg, found.argv)
        if "build" in found.argv[1:3] and changing:
            what = f"docker build --build-arg {changing}"
            scan.deploys.append(_Deploy(True, what, workflow, step, where(found)))
    if step.uses.startswith("docker/build-push-action"):
        pairs = str(step.with_.get("build-args", "")).split()
        changing = _changing_build_arg(
            scan.target.arg, [w for p in pairs for w in ("--build-arg", p)]
        )
        if changing:
            what = f"{step.uses.split('@')[0]} with build-args {changing}"
            scan.deploys.append(_Deploy(True, what, workflow, step, workflow.shown))


def _invalid_line(
    scan: _Scan, found: CommandLine, verdict: Invalid, where: str, *, skip_docker_args: bool
) -> None:
    problems = [
        p for p in verdict.problems if not (skip_docker_args and p.token in DOCKER_ARGS_FLAGS)
    ]
    if not problems:
        return
    spec = _command_spec(found)
    name = spec.name if spec else ""
    hints = [_HINTS[key] for p in problems if (key := (name, p.token or "")) in _HINTS]
    if spec is not None:
        flags = ", ".join(f"--{flag}" for flag in spec.flags) or "none"
        hints.append(f"The flags of `koyeb {spec.path}` are: {flags}.")
    scan.checks.append(
        failed(
            "workflows.koyeb-cli",
            f'`{_short(found.source)}` would be rejected by the koyeb CLI ("Invalid command", '
            "exit 1): " + "; ".join(p.message for p in problems) + ".",
            " ".join(hints) or "Fix the command line.",
            where,
        )
    )


def _command_spec(found: CommandLine) -> CommandSpec | None:
    """The table entry of an invalid line's command, when its group and command exist."""
    words = [w for w in found.argv[1:] if not w.startswith("-")][:2]
    spec_table = table()
    group = spec_table.group(words[0]) if words else None
    return spec_table.command(group, words[1]) if group and len(words) > 1 else None


def _what_the_flag_does(flag: str, *, redeploy: bool) -> str:
    if redeploy:
        return '`koyeb service redeploy` does not even accept it ("Invalid command").'
    if flag.startswith("--docker"):
        # contract: cli-update-docker-flags-switch-source
        return (
            f"on `koyeb service update`, {flag} switches the service to a Docker-image "
            "source: the official CLI drops the git source and puts the arguments on a "
            "Docker source with no image (what Koyeb then does is unconfirmed)."
        )
    # contract: cli-git-docker-args
    return f"{flag} sets the built image's run-time CMD arguments, not build arguments."


def _build_arg_mistake(scan: _Scan, found: CommandLine, where: str) -> bool:
    flag = build_arg_in_docker_args(found.argv)
    if flag is None:
        return False
    scan.checks.append(
        failed(
            "workflows.docker-args-build-arg",
            f"`{flag} \"--build-arg ...\"` is the original guide's mistake: Koyeb's API has "
            "no field for build arguments (contract: api-no-build-args); "
            + _what_the_flag_does(flag, redeploy="redeploy" in found.argv[1:3]),
            f"Remove it. Force the uncached build with `cachebust rebuild` or "
            f"`koyeb service redeploy {scan.target.service}` (no --use-cache); to refresh "
            "the layers after the cache-bust RUN, change the ARG's default in the "
            "Dockerfile.",
            where,
        )
    )
    return True


def _classify_koyeb(
    scan: _Scan, command: KoyebCommand, workflow: Workflow, step: Step, where: str
) -> None:
    what = "koyeb " + " ".join(command.argv[1:])
    if command.path == "services redeploy":
        forcing = not command.has("use-cache") and not command.has("skip-build")
    elif command.path == "services update" and not command.has("save-only"):
        forcing = command.has("skip-cache") and not command.has("skip-build")
    else:
        return
    scan.deploys.append(_Deploy(forcing, _short(what), workflow, step, where))


def _classify_unvalidated(
    scan: _Scan, verdict: Unvalidated, workflow: Workflow, step: Step, where: str
) -> None:
    if verdict.command == "deploy":
        forcing = "--skip-cache" in verdict.argv
        what = _short("koyeb " + " ".join(verdict.argv[1:]))
        scan.deploys.append(_Deploy(forcing, what, workflow, step, where))


def _changing_build_arg(name: str | None, argv: Sequence[str]) -> str:
    """The first `--build-arg NAME=value` whose value changes on every run, or ""."""
    for index, word in enumerate(argv):
        if word == "--build-arg" and index + 1 < len(argv):
            pair = argv[index + 1]
        elif word.startswith("--build-arg="):
            pair = word.partition("=")[2]
        else:
            continue
        arg, _, value = pair.partition("=")
        if (name is None or arg == name) and _CHANGING.search(value):
            return pair
    return ""


def _forced_rebuild(scan: _Scan) -> Check:
    on_push = [d for d in scan.deploys if d.workflow.on_push]
    forcing = [d for d in on_push if d.forcing]
    if forcing:
        first = forcing[0]
        return passed(
            "workflows.forced-rebuild",
            f"A push to {_branches(first.workflow)} runs `{first.what}` (job "
            f"{first.step.job}), which asks for an uncached build (use_cache: false).",
            first.where,
        )
    if on_push:
        first = on_push[0]
        return failed(
            "workflows.forced-rebuild",
            f"A push to {_branches(first.workflow)} deploys with `{first.what}`, which lets "
            "Koyeb reuse its build cache (or the previous image), so stale layers survive.",
            f"In job {first.step.job}, run `cachebust rebuild` instead (or `koyeb service "
            f"redeploy {scan.target.service}` without --use-cache).",
            first.where,
        )
    elsewhere = [d for d in scan.deploys if d.forcing]
    if elsewhere:
        first = elsewhere[0]
        return warned(
            "workflows.forced-rebuild",
            f"`{first.what}` asks for an uncached build, but {first.workflow.shown} does not "
            "run on a push to the default branch.",
            "Add `push: branches: [<default branch>]` to its `on:` triggers.",
            first.where,
        )
    return warned(
        "workflows.forced-rebuild",
        "No workflow asks for an uncached build on a push to the default branch.",
        _add_job_fix(scan.target),
    )


def _add_job_fix(target: WorkflowTarget) -> str:
    return (
        "Add a workflow that, on push to the default branch, runs `cachebust rebuild` (or "
        f"`koyeb service redeploy {target.service} --wait`) with KOYEB_TOKEN from a secret."
    )


def _branches(workflow: Workflow) -> str:
    return " or ".join(workflow.push_branches)


def _short(text: str) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= 100 else flat[:97] + "..."
