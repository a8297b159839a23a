"""Build log lines in Docker BuildKit's plain-progress style, for the configured Dockerfile.

A step served from the build cache prints its title and then `#N CACHED`; a step
that runs prints its output and `#N DONE <seconds>s` (the format is in
`cachebust._buildkit`, which also reads it back). That difference is the only
place a reader can tell a cached build from an uncached one (no Koyeb field says
it: contract: api-build-cache-report), so the fake writes it exactly that way. Koyeb
does not document its build log's format (contract: assume-build-log-format); this is
BuildKit's, for the steps of the project's own Dockerfile (see
`build_steps`), whose build arguments keep their defaults because the Koyeb API has
no way to pass build arguments.

An uncached build lasts UNCACHED_SECONDS, most of it in the dependency installs; a
cached one CACHED_SECONDS, most of it exporting and pushing the image.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from cachebust import _buildkit as buildkit
from cachebust._config import Settings
from cachebust.fake._installers import install_output

if TYPE_CHECKING:
    from cachebust.fake._build_plan import BuildPlan, Vertex

UNCACHED_SECONDS = 150.0
CACHED_SECONDS = 30.0
#: Seconds a step of each kind takes when it runs; the installs share what is left.
_SECONDS = {"internal": 0.1, "metadata": 1.2, "FROM": 4.5, "RUN": 0.4}
_SECONDS |= {"WORKDIR": 0.1, "COPY": 0.2, "ADD": 0.3}
#: What is left of an uncached build after its installs: exporting and pushing the image.
_EXPORT_SECONDS = 9.0
#: Steps that make a layer, so the cache can serve them (a FROM is resolved each time);
#: a cached build serves every one (contract: assume-cache-hits).
_LAYERS = frozenset({"RUN", "COPY", "ADD", "WORKDIR"})
#: How a build fails when its Dockerfile has no RUN to fail in.
_PUSH_FAILED = "failed to push image: unexpected status: 500 Internal Server Error"


@dataclass(frozen=True)
class ScriptLine:
    offset: float  # seconds after the build started
    msg: str


@dataclass(frozen=True)
class ScriptStep:
    name: str
    start: float
    #: None while the step never ends (the "stuck" outcome).
    end: float | None
    cached: bool
    failed: bool = False


@dataclass(frozen=True)
class BuildScript:
    lines: tuple[ScriptLine, ...]
    steps: tuple[ScriptStep, ...]
    #: Seconds from start to the last line (the build's end unless it never finishes).
    duration: float
    #: Why the build failed, for the deployment's messages; None when it did not.
    failure: str | None


def build_script(settings: Settings, *, cached: bool, outcome: str, digest: str) -> BuildScript:
    """The log of one build: `outcome` "error" fails it, "stuck" never ends it, both in
    the first dependency install (else the first RUN, else the export)."""
    # Imported here: reading Dockerfiles loads the doctor package, more than the fake costs.
    from cachebust.fake._build_plan import plan_build

    plan = plan_build(settings, digest=digest)
    vertices = plan.vertices
    target = next(
        (v for v in vertices if v.install), next((v for v in vertices if v.command), vertices[-1])
    )
    install_seconds = _install_seconds(vertices)
    total = CACHED_SECONDS if cached else UNCACHED_SECONDS
    lines: list[ScriptLine] = [ScriptLine(0.0, '#0 building with "default" instance')]
    done: list[ScriptStep] = []
    clock = 0.0
    for number, vertex in enumerate(vertices, start=1):
        lines.append(ScriptLine(clock, buildkit.title(number, vertex.title)))
        if vertex is target and outcome == "error":
            return _failed(plan, vertex, number, clock, lines, done, settings)
        if cached and vertex.kind in _LAYERS and not (vertex is target and outcome == "stuck"):
            seconds = 0.05
            lines.append(ScriptLine(clock + seconds, buildkit.cached(number)))
            done.append(ScriptStep(vertex.title, clock, clock + seconds, cached=True))
            clock += seconds
            continue
        if vertex.kind == "export":  # the image is written and pushed in the time left
            seconds = max(total - clock, 1.0)
        else:
            seconds = install_seconds if vertex.install else _SECONDS[vertex.kind]
        output = _output(plan, vertex, number, clock, seconds)
        if vertex is target and outcome == "stuck":  # hangs halfway, never to print again
            running = ScriptStep(vertex.title, clock, None, cached=False)
            shown = [*lines, *(line for line in output if line.offset < clock + seconds / 2)]
            return BuildScript(tuple(shown), (*done, running), shown[-1].offset, None)
        lines += output
        lines.append(ScriptLine(clock + seconds, buildkit.done(number, seconds)))
        done.append(ScriptStep(vertex.title, clock, clock + seconds, cached=False))
        clock += seconds
    return BuildScript(tuple(lines), tuple(done), clock, None)


def _install_seconds(vertices: tuple[Vertex, ...]) -> float:
    """Each install's share of an uncached build, so that it lasts UNCACHED_SECONDS."""
    installs = sum(1 for v in vertices if v.install)
    if not installs:
        return 0.0
    fixed = sum(_SECONDS.get(v.kind, 0.0) for v in vertices if not v.install)
    return max((UNCACHED_SECONDS - fixed - _EXPORT_SECONDS) / installs, 1.0)


def _output(
    plan: BuildPlan, vertex: Vertex, number: int, start: float, seconds: float
) -> list[ScriptLine]:
    """The lines a running step prints; a RUN's carry the seconds since it started."""
    output = vertex.output
    if vertex.installs is not None:
        output = install_output(vertex.installs, plan.context, seconds).progress
    lines = []
    for fraction, text in output:
        at = fraction * seconds
        elapsed = at if vertex.command is not None else None
        lines.append(ScriptLine(start + at, buildkit.output(number, text, elapsed=elapsed)))
    return lines


def _failed(
    plan: BuildPlan,
    vertex: Vertex,
    number: int,
    clock: float,
    lines: list[ScriptLine],
    done: list[ScriptStep],
    settings: Settings,
) -> BuildScript:
    """The step fails as BuildKit reports it: its output, the error, and where in the
    Dockerfile (the lines of the instruction, between those around it)."""
    output: tuple[tuple[float, str], ...] = ()
    why = _PUSH_FAILED
    if vertex.command is not None:
        code = 1
        if vertex.installs is not None:
            result = install_output(vertex.installs, plan.context, 0.0)
            output, code = result.failure, result.exit_code
        why = f'process "{vertex.process}" did not complete successfully: exit code: {code}'
    for seconds, text in output:
        lines.append(ScriptLine(clock + seconds, buildkit.output(number, text, elapsed=seconds)))
    at = clock + (output[-1][0] if output else 0.0)
    trailer = (
        buildkit.error(number, why),
        "------",
        f" > {vertex.title}:",
        *(f"{buildkit.stamp(seconds)} {text}" for seconds, text in output),
        "------",
        *(_excerpt(plan.source, vertex.lines, settings.dockerfile) if vertex.lines else ()),
        f"ERROR: failed to solve: {why}",
    )
    for text in trailer:
        at += 0.01
        lines.append(ScriptLine(at, text))
    failed = ScriptStep(vertex.title, clock, at, cached=False, failed=True)
    return BuildScript(tuple(lines), (*done, failed), at, f"Build failed: {why}")


def _excerpt(source: tuple[str, ...], span: tuple[int, int], path: str) -> list[str]:
    """The Dockerfile around lines `span`, as BuildKit quotes it (its errdefs.Source.Print):
    the failed lines marked `>>>`, one line of context each side, two for a one-line
    instruction."""
    first, last = span
    start, end, padded = first, last, 0
    pad = 4 if first == last else 2
    while padded < pad:
        if start > 1:
            start, padded = start - 1, padded + 1
        if end != len(source):
            end, padded = end + 1, padded + 1
        padded += 1
    quoted = [
        f" {number:3d} | {'>>>' if first <= number <= last else '   '} {source[number - 1]}"
        for number in range(start, end + 1)
    ]
    return [f"{path}:{first}", "-" * 20, *quoted, "-" * 20]
