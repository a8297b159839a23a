"""The Dockerfile half of the guide's troubleshooting list, as checks.

What makes the technique work, each verified with a real BuildKit build in
tests/image_build: the build argument is declared in the stage that copies the source; a
`RUN` follows it there (BuildKit and the classic builder give every later `RUN` the
declared build arguments as environment, so the first `RUN` after the `ARG` is the
first step a new value rebuilds, and every step after it rebuilds too); that `RUN`
comes before the source is copied; the dependency install comes before it, so it
stays cached; and the argument has a default, because builds without `--build-arg`
(Koyeb's API has no field for build arguments) use it.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from cachebust._dockerfile import (
    Copy,
    Dockerfile,
    Instruction,
    Stage,
    parse_dockerfile,
    references,
)
from cachebust._doctor._report import Check, failed, passed, warned


@dataclass(frozen=True, slots=True)
class DockerfileTarget:
    """Which Dockerfile to check, as shown to the user, and the build argument's name."""

    path: Path
    shown: str
    #: None: find the one ARG whose name contains "BUST".
    arg: str | None
    #: The default to suggest when the ARG has none.
    suggested_default: str


def check_dockerfile(target: DockerfileTarget) -> list[Check]:
    if not target.path.is_file():
        return [
            failed(
                "dockerfile.exists",
                f"{target.shown} not found.",
                "Run `cachebust doctor` in the folder holding your project, or set `dockerfile` "
                "in [tool.cachebust] of its pyproject.toml to the Dockerfile's path.",
            )
        ]
    try:
        model = parse_dockerfile(target.path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        return [failed("dockerfile.exists", f"{target.shown} cannot be read: {exc}.", "Fix it.")]
    if not model.stages:
        return [failed("dockerfile.exists", f"{target.shown} has no FROM.", "Add a FROM line.")]
    return _Checker(target, model).run()


class _Checker:
    def __init__(self, target: DockerfileTarget, model: Dockerfile) -> None:
        self.target = target
        self.model = model
        self.checks: list[Check] = []

    def at(self, line: int) -> str:
        return f"{self.target.shown}:{line}"

    def run(self) -> list[Check]:
        stages = len(self.model.stages)
        self.checks.append(
            passed(
                "dockerfile.exists",
                f"{self.target.shown} parsed: {stages} stage{'s' if stages > 1 else ''}.",
            )
        )
        stage, copy = self._source_stage()
        name = self.target.arg or self._guess_arg()
        if name is None:
            self.checks.append(
                failed(
                    "dockerfile.arg-declared",
                    "No cache-busting build argument: no ARG whose name contains BUST, "
                    "and none named with --arg or [tool.cachebust] build-arg.",
                    self._declare_fix("NAME", stage, copy)
                    + " Then name it with --arg NAME or build-arg in [tool.cachebust].",
                )
            )
            return self.checks
        declared = next(((i, d) for i, n, d in stage.args() if n == name), None)
        if declared is None:
            self.checks.append(self._not_declared(name, stage, copy))
            return self.checks
        arg, default = declared
        self.checks.append(
            passed(
                "dockerfile.arg-declared",
                f"ARG {name} is declared in {stage.label}, which copies the source.",
                self.at(arg.line),
            )
        )
        busted = self._consumed(name, stage, arg)
        if busted is not None:
            if copy is not None:
                self._before_source(name, arg, busted, copy)
            self._after_dependencies(name, stage, arg, busted)
        self._default(name, arg, default)
        return self.checks

    def _source_stage(self) -> tuple[Stage, Copy | None]:
        candidates = [
            (stage, copy)
            for stage in self.model.reachable()
            if (copy := stage.first_source_copy()) is not None
        ]
        if not candidates:
            final = self.model.stages[-1]
            self.checks.append(
                warned(
                    "dockerfile.source-copy",
                    "No COPY or ADD brings application source in from the build context "
                    "(only dependency manifests, other stages or URLs), so there is nothing "
                    f"for the cache bust to refresh; checking the final {final.label}.",
                    "Copy the application source in (e.g. `COPY . .`) after the cache-bust RUN.",
                    self.at(final.line),
                )
            )
            return final, None
        stage, copy = candidates[-1]
        self.checks.append(
            passed(
                "dockerfile.source-copy",
                f"`{copy.instruction.text}` copies the application source in {stage.label}.",
                self.at(copy.instruction.line),
            )
        )
        return stage, copy

    def _guess_arg(self) -> str | None:
        names = {
            name
            for stage in self.model.stages
            for _, name, _ in stage.args()
            if "BUST" in name.upper()
        }
        return names.pop() if len(names) == 1 else None

    def _not_declared(self, name: str, stage: Stage, copy: Copy | None) -> Check:
        fix = self._declare_fix(name, stage, copy)
        elsewhere = [
            (other, i) for other in self.model.stages for i, n, _ in other.args() if n == name
        ]
        if elsewhere:
            other, instruction = elsewhere[0]
            return failed(
                "dockerfile.arg-declared",
                f"ARG {name} is declared in {other.label}, but the source is copied in "
                f"{stage.label}: a build argument only exists in the stage that declares it, "
                f"so a new value does not reach the steps of {stage.label}.",
                fix,
                self.at(instruction.line),
            )
        glob = next((i for i in self.model.global_args if name in i.value), None)
        if glob is not None:
            return failed(
                "dockerfile.arg-declared",
                f"ARG {name} is declared only before the first FROM, where only FROM lines "
                f"can use it; {stage.label} never sees it.",
                fix + " A bare `ARG " + name + "` there inherits the global default.",
                self.at(glob.line),
            )
        return failed(
            "dockerfile.arg-declared",
            f"No ARG {name} in {self.target.shown}: no build step depends on it, so no "
            "value of it can force a rebuild.",
            fix,
        )

    def _declare_fix(self, name: str, stage: Stage, copy: Copy | None) -> str:
        where = f" (`{copy.instruction.text}`, line {copy.instruction.line})" if copy else ""
        return (
            f"In {stage.label}, after the dependency install and before the source copy{where}, "
            f"add `ARG {name}={self.target.suggested_default}` followed by "
            f'`RUN echo "cache bust: ${{{name}}}"`.'
        )

    def _consumed(self, name: str, stage: Stage, arg: Instruction) -> Instruction | None:
        runs = stage.runs_after(arg.line)
        explicit = [run for run in runs if references(run, name)]
        if explicit:
            self.checks.append(
                passed(
                    "dockerfile.arg-consumed",
                    f"`{explicit[0].text}` uses ${name}.",
                    self.at(explicit[0].line),
                )
            )
        elif runs:
            self.checks.append(
                warned(
                    "dockerfile.arg-consumed",
                    f"No RUN mentions ${name}. The bust still works implicitly, because the "
                    f"builder passes {name} to every later RUN (the first is line "
                    f"{runs[0].line}), but nothing shows why the ARG is there.",
                    f'Add `RUN echo "cache bust: ${{{name}}}"` right after `ARG {name}`.',
                    self.at(arg.line),
                )
            )
        else:
            self.checks.append(
                failed(
                    "dockerfile.arg-consumed",
                    f"No RUN follows ARG {name} in its stage: an ARG nothing uses does not "
                    "bust anything (COPY, ENV and CMD do not depend on it).",
                    f'Add `RUN echo "cache bust: ${{{name}}}"` right after `ARG {name}`, '
                    "before the source is copied.",
                    self.at(arg.line),
                )
            )
        return runs[0] if runs else None

    def _before_source(self, name: str, arg: Instruction, busted: Instruction, copy: Copy) -> None:
        line = copy.instruction.line
        if busted.line < line:
            self.checks.append(
                passed(
                    "dockerfile.arg-before-source",
                    f"A new {name} rebuilds from line {busted.line} on, so the source copy "
                    f"(line {line}) and every later step are rebuilt.",
                    self.at(arg.line),
                )
            )
            return
        if arg.line > line:
            why = f"ARG {name} comes after `{copy.instruction.text}` (line {line})"
        else:
            why = f"the first step a new {name} rebuilds is line {busted.line}, after line {line}"
        self.checks.append(
            failed(
                "dockerfile.arg-before-source",
                f"{why}: the source copy and everything before that stay cached, so a "
                "stale layer with your code can survive the bust.",
                f"Move `ARG {name}` and the RUN that uses it above line {line}, after the "
                "dependency install.",
                self.at(arg.line),
            )
        )

    def _after_dependencies(
        self, name: str, stage: Stage, arg: Instruction, busted: Instruction
    ) -> None:
        rebuilt = [i for i in stage.dependency_installs() if i.line >= busted.line]
        if rebuilt:
            install = rebuilt[0]
            self.checks.append(
                warned(
                    "dockerfile.arg-after-deps",
                    f"ARG {name} comes before the dependency install `{install.text}` "
                    f"(line {install.line}): every bust also reinstalls the dependencies, "
                    "which makes forced rebuilds slow.",
                    f"Move `ARG {name}` and its RUN below line {install.line}, so the "
                    "dependency layers stay cached.",
                    self.at(arg.line),
                )
            )
            return
        before = stage.dependency_installs()
        message = (
            f"The dependency install (line {before[-1].line}) comes before ARG {name} and stays "
            "cached."
            if before
            else f"No dependency install after ARG {name}."
        )
        self.checks.append(passed("dockerfile.arg-after-deps", message, self.at(arg.line)))

    def _default(self, name: str, arg: Instruction, default: str | None) -> None:
        default = default if default is not None else self.model.global_default(name)
        if default is not None:
            self.checks.append(
                passed(
                    "dockerfile.arg-default",
                    f'ARG {name} defaults to "{default}": builds without --build-arg use it.',
                    self.at(arg.line),
                )
            )
            return
        self.checks.append(
            warned(
                "dockerfile.arg-default",
                f"ARG {name} has no default: builds without --build-arg (every Koyeb build: "
                "its API has no field for build arguments) see an empty value that never "
                "changes, so there the ARG cannot bust anything.",
                f"Give it a default, `ARG {name}={self.target.suggested_default}`, and change the "
                "default when a Koyeb build must skip the cached layers.",
                self.at(arg.line),
            )
        )
