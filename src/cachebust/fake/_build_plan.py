"""The steps BuildKit runs for the configured Dockerfile, as the fake's build log shows them.

BuildKit gives a step of its own (a vertex, `#N` in its plain progress output) to each
FROM, RUN, COPY, ADD and WORKDIR of the stages the build needs, titled
`[stage k/n] INSTRUCTION ...` with the values of build arguments and ENV put in. ARG,
ENV, USER, EXPOSE, CMD and the like only change the image's configuration and get no
step. Around them come the builder's own: `[internal] load build definition`, `load
metadata` for each base image, `load .dockerignore`, `load build context`, and
`exporting to image` at the end.

The Dockerfile is the project's (`dockerfile` of [tool.cachebust], under the
settings' root). Where there is none (a fake configured for another project), a small
Dockerfile in the shape the guide recommends stands in, read the same way.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from cachebust._config import Settings
from cachebust._dockerfile import (
    Dockerfile,
    Instruction,
    Stage,
    commands,
    exec_form,
    installer,
    parse_arg,
    parse_dockerfile,
)

#: Stands in for a missing Dockerfile; `{arg}` and `{default}` are the configured build arg.
STAND_IN_DOCKERFILE = """\
FROM python:3.12-slim
WORKDIR /app
# Dependency layers: cached until requirements.txt changes.
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt
# Cache-bust point: builds through the Koyeb API always get the default.
ARG {arg}={default}
RUN echo "cache bust: ${{{arg}}}"
COPY . .
CMD ["python", "app.py"]
"""

_STEP_KINDS = frozenset({"RUN", "COPY", "ADD", "WORKDIR"})
_VARIABLE = re.compile(r"\$(?:\{(?P<braced>\w+)\}|(?P<bare>\w+))")
#: Registries name themselves with a dot or a port; anything else is on Docker Hub.
_REGISTRY = re.compile(r"[^/]*[.:][^/]*|localhost")


@dataclass(frozen=True)
class Vertex:
    title: str
    #: "internal", "metadata", "export", or the instruction: "FROM", "RUN", "COPY", ...
    kind: str
    #: (fraction of the step's duration, text) printed while it runs.
    output: tuple[tuple[float, str], ...] = ()
    #: A RUN's command as written (the shell puts the build arguments in).
    command: str | None = None
    #: A RUN's process as BuildKit names it when it fails: `/bin/sh -c ...`.
    process: str | None = None
    #: A RUN's dependency install, (package manager, words): it takes most of an uncached
    #: build's time.
    installs: tuple[str, tuple[str, ...]] | None = None

    @property
    def install(self) -> bool:
        return self.installs is not None

    #: First and last line of the instruction in the Dockerfile.
    lines: tuple[int, int] | None = None


@dataclass(frozen=True)
class BuildPlan:
    vertices: tuple[Vertex, ...]
    #: The Dockerfile split into lines as BuildKit quotes it under a failed step.
    source: tuple[str, ...]
    #: The build context: the Dockerfile's folder.
    context: Path


def plan_build(settings: Settings, *, digest: str) -> BuildPlan:
    """The steps of a build of the configured Dockerfile that writes image `digest`."""
    text, model = _dockerfile(settings)
    context = settings.root / PurePosixPath(settings.dockerfile).parent
    stages = model.reachable()
    multistage = len(model.stages) > 1
    names = [name for i in model.global_args for name, _ in parse_arg(i.value)]
    globals_ = {name: value for name in names if (value := model.global_default(name))}
    bases = {s.index: _base(model, s, globals_) for s in stages}
    images = [image for image in bases.values() if image is not None]
    vertices = [
        Vertex(
            f"[internal] load build definition from {settings.dockerfile}",
            "internal",
            ((0.5, f"transferring dockerfile: {_size(len(text.encode()))} done"),),
        ),
        *(Vertex(f"[internal] load metadata for {i}", "metadata") for i in dict.fromkeys(images)),
        Vertex(
            "[internal] load .dockerignore",
            "internal",
            ((0.5, f"transferring context: {_size(_file_size(context / '.dockerignore'))} done"),),
        ),
    ]
    lines = text.split("\n")
    for stage in stages:
        label = f"{stage.name or f'stage-{stage.index}'} " if multistage else ""
        vertices += _stage(stage, label, bases[stage.index], globals_, lines)
    sources = [s for stage in stages for c in stage.copies() if c.from_context for s in c.sources]
    if sources:
        sent = sum(_file_size(context / source.lstrip("/")) for source in sources)
        loaded = Vertex(
            "[internal] load build context",
            "internal",
            ((0.75, f"transferring context: {_size(sent)} done"),),
        )
        first = next(i for i, v in enumerate(vertices) if v.kind not in ("internal", "metadata"))
        at = first + 1 if vertices[first].kind == "FROM" else first
        vertices.insert(at, loaded)
    exported = (
        (0.5, "exporting layers done"),
        (0.6, f"writing image sha256:{digest} done"),
        (0.7, "pushing layers done"),
    )
    vertices.append(Vertex("exporting to image", "export", exported))
    return BuildPlan(tuple(vertices), tuple(lines), context)


def _dockerfile(settings: Settings) -> tuple[str, Dockerfile]:
    try:
        text = (settings.root / settings.dockerfile).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        text = ""
    model = parse_dockerfile(text)
    if not model.stages:  # missing, unreadable, or without a FROM
        text = STAND_IN_DOCKERFILE.format(
            arg=settings.build_arg, default=settings.build_arg_default
        )
        model = parse_dockerfile(text)
    return text, model


def _stage(
    stage: Stage, label: str, base: str | None, globals_: dict[str, str], lines: list[str]
) -> list[Vertex]:
    total = 1 + sum(1 for i in stage.instructions if i.kind in _STEP_KINDS)
    vertices: list[Vertex] = []
    # A stage built on another stage starts from its result, with no step of its own.
    if base is not None:
        # A stand-in for the registry's digest, the same for the same image every time.
        pinned = f"{base}@sha256:{hashlib.sha256(base.encode()).hexdigest()}"
        resolved = ((0.1, f"resolve {pinned} done"),)
        vertices.append(Vertex(f"[{label}1/{total}] FROM {pinned}", "FROM", resolved))
    values: dict[str, str] = {}
    index = 1
    for instruction in stage.instructions:
        if instruction.kind in ("ARG", "ENV"):
            for name, default in parse_arg(instruction.value):
                # An ARG without a default takes the global one; Koyeb passes no others.
                inherited = globals_.get(name) if instruction.kind == "ARG" else None
                value = default if default is not None else inherited
                if value is not None:
                    values[name] = _expand(value, values)
            continue
        if instruction.kind not in _STEP_KINDS:
            continue
        index += 1
        shown = _expand(instruction.value, values)
        title = f"[{label}{index}/{total}] {instruction.kind} {shown}"
        span = (instruction.line, instruction.end)
        if instruction.kind == "RUN":
            vertices.append(
                Vertex(
                    title,
                    "RUN",
                    _echoed(instruction, values),
                    command=instruction.value,
                    process=_process(instruction),
                    installs=installer(instruction),
                    lines=span,
                )
            )
        else:
            vertices.append(Vertex(title, instruction.kind, lines=span))
    return vertices


def _base(model: Dockerfile, stage: Stage, globals_: dict[str, str]) -> str | None:
    """The image the stage starts from; None for another stage or the empty `scratch`."""
    if model.stage_named(stage.base) is not None or stage.base.lower() == "scratch":
        return None
    return _image(_expand(stage.base, globals_))


def _image(reference: str) -> str:
    """The reference as BuildKit prints it: registry, repository and tag spelled out."""
    first, _, rest = reference.partition("/")
    if not rest:
        reference = f"docker.io/library/{reference}"
    elif not _REGISTRY.fullmatch(first):
        reference = f"docker.io/{reference}"
    last = reference.rsplit("/", 1)[-1]
    return reference if ":" in last or "@" in last else f"{reference}:latest"


def _expand(text: str, values: dict[str, str]) -> str:
    """`$NAME` and `${NAME}` replaced by known values; BuildKit leaves unset ones as written."""
    return _VARIABLE.sub(lambda m: values.get(m["braced"] or m["bare"], m[0]), text)


def _echoed(instruction: Instruction, values: dict[str, str]) -> tuple[tuple[float, str], ...]:
    """What a RUN that only echoes prints, so the cache-bust RUN shows its value."""
    found = commands(instruction)
    if len(found) != 1 or found[0][0] != "echo" or re.search(r"[<>]", instruction.value):
        return ()
    words = list(found[0][1:])
    while words and words[0] in ("-n", "-e", "-E"):
        words = words[1:]
    return ((0.53, _expand(" ".join(words), values)),)


def _process(instruction: Instruction) -> str:
    words = exec_form(instruction.value)
    if words is not None:  # the exec form runs without a shell
        return " ".join(words)
    return f"/bin/sh -c {instruction.value}"


def _file_size(path: Path) -> int:
    """Bytes sent for `path`: a file, or the files directly in a folder (not deeper, so a
    big tree is never walked at each deployment)."""
    try:
        if path.is_dir():
            return sum(p.stat().st_size for p in path.iterdir() if p.is_file())
        return path.stat().st_size if path.is_file() else 0
    except OSError:
        return 0


def _size(count: int) -> str:
    """Sizes as BuildKit prints them (go-units HumanSize): four significant digits."""
    value = float(max(count, 2))  # an empty transfer still shows as 2B
    for unit in ("B", "kB", "MB"):
        if value < 1000:
            return f"{value:.4g}{unit}"
        value /= 1000
    return f"{value:.4g}GB"
