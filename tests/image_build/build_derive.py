"""The project's Dockerfile, rewritten to build offline from a busybox base, same shape.

Every instruction keeps its place and kind, so the builder's cache sees the same chain
of steps as in the real file: FROM images become the local base (stage references are
kept); each RUN becomes an `echo` naming its original line (and printing the build
argument when the original used it); COPY/ADD keep their sources and `--from`, minus
`--chown`/`--chmod` (the base has no users); a USER name becomes uid 0 for the same
reason; SHELL and ONBUILD are dropped. A change in the real file's structure (a step
moved above the ARG, a new stage) therefore changes what the proof builds.
"""

from __future__ import annotations

from dataclasses import dataclass

from cachebust._dockerfile import (
    Instruction,
    parse_arg,
    parse_copy,
    parse_dockerfile,
    references,
)

#: Instructions BuildKit runs as steps of their own (`#N [stage i/n] ...` in its log).
STEP_KINDS = frozenset({"RUN", "COPY", "ADD", "WORKDIR"})


@dataclass(frozen=True, slots=True)
class Step:
    """One layer step of the derived Dockerfile and where it came from."""

    #: The stage as BuildKit labels it: its name, `stage-N`, or None in a one-stage build.
    stage: str | None
    #: Its `i` in BuildKit's `[stage i/n]` (the FROM is 1).
    index: int
    kind: str
    #: Line of the original instruction in the project's Dockerfile.
    line: int


@dataclass(frozen=True, slots=True)
class Derived:
    text: str
    steps: tuple[Step, ...]
    #: The stage declaring the build argument, and its ARG line in the original.
    arg_stage: str | None
    arg_line: int


def derive(original: str, *, base: str, arg: str) -> Derived:
    model = parse_dockerfile(original)
    multistage = len(model.stages) > 1
    lines = [f"ARG {i.value}" for i in model.global_args]
    steps: list[Step] = []
    arg_stage: tuple[str | None, int] | None = None
    for stage in model.stages:
        label = (stage.name or f"stage-{stage.index}") if multistage else None
        source = stage.base if model.stage_named(stage.base) else base
        lines.append(f"FROM {source}" + (f" AS {stage.name}" if stage.name else ""))
        index = 1
        for instruction in stage.instructions:
            rewritten = _rewrite(instruction, arg)
            if rewritten is None:
                continue
            lines.append(rewritten)
            kind = rewritten.split(" ", 1)[0]
            if kind in STEP_KINDS:
                index += 1
                steps.append(Step(label, index, kind, instruction.line))
            if kind == "ARG" and any(name == arg for name, _ in parse_arg(instruction.value)):
                arg_stage = arg_stage or (label, instruction.line)
    if arg_stage is None:
        raise AssertionError(f"the Dockerfile declares no ARG {arg} in any stage")
    return Derived("\n".join(lines) + "\n", tuple(steps), *arg_stage)


def _rewrite(instruction: Instruction, arg: str) -> str | None:
    kind, value = instruction.kind, instruction.value
    if kind == "RUN":
        shown = f" {arg}=${{{arg}}}" if references(instruction, arg) else ""
        return f'RUN echo "proof: line {instruction.line}{shown}"'
    if kind in ("COPY", "ADD"):
        copy = parse_copy(instruction)
        if any("://" in source for source in copy.sources):
            return f'RUN echo "proof: line {instruction.line} ({kind} of a URL)"'
        kept = [f"--{key}={val}" for key, val in copy.flags.items() if key == "from"]
        return " ".join([kind, *kept, *copy.sources, copy.destination])
    if kind == "USER":
        return f"USER {value}" if value.replace(":", "").isdigit() else "USER 0"
    if kind in ("SHELL", "ONBUILD"):
        return None
    return f"{kind} {value}"
