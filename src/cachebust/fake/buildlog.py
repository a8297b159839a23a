"""Build log lines in Docker BuildKit's plain-progress style.

A step served from the build cache prints its title and then `#N CACHED`; a step
that runs prints its output and `#N DONE <seconds>s`. That difference is the only
place a reader can tell a cached build from an uncached one (no Koyeb field says
it), so the fake writes it exactly that way.

The Dockerfile shown is a generic one: the project's own file appears only through
its configured path and build-arg name, and the build arg always has its default
value because the Koyeb API has no way to pass build arguments.
"""

from __future__ import annotations

from dataclasses import dataclass

from cachebust.config import Settings

UNCACHED_SECONDS = 150.0
CACHED_SECONDS = 30.0
#: How far into an uncached build a failing or stuck build stops (the slow RUN step).
_INSTALL = "pip install --no-cache-dir -r requirements.txt"


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


@dataclass(frozen=True)
class _Step:
    title: str
    seconds: float
    #: (seconds into the step, text) of each line the step prints while it runs.
    output: tuple[tuple[float, str], ...] = ()
    #: A Dockerfile instruction, so it can come from the cache.
    instruction: bool = False
    #: The shell command of a RUN step; its output lines carry their elapsed time.
    command: str | None = None
    #: The last step takes whatever time the build has left; its output times are
    #: then fractions of that time.
    fills_rest: bool = False


def _steps(settings: Settings, digest: str) -> list[_Step]:
    arg, value = settings.build_arg, settings.build_arg_default
    image = "docker.io/library/python:3.12-slim"
    return [
        _Step(
            f"[internal] load build definition from {settings.dockerfile}",
            0.1,
            ((0.05, "transferring dockerfile: 512B done"),),
        ),
        _Step(f"[internal] load metadata for {image}", 1.5),
        _Step("[internal] load .dockerignore", 0.1, ((0.05, "transferring context: 2B done"),)),
        _Step(f"[1/6] FROM {image}", 12.0, ((0.2, f"resolve {image} done"),), instruction=True),
        _Step("[internal] load build context", 0.4, ((0.3, "transferring context: 48.2kB done"),)),
        _Step("[2/6] WORKDIR /app", 0.3, instruction=True),
        _Step("[3/6] COPY requirements.txt .", 0.2, instruction=True),
        _Step(
            f'[4/6] RUN echo "{arg}=${{{arg}}}"',
            0.4,
            ((0.212, f"{arg}={value}"),),
            instruction=True,
            command=f'echo "{arg}=${{{arg}}}"',
        ),
        _Step(
            f"[5/6] RUN {_INSTALL}",
            95.0,
            (
                (2.804, "Collecting example-dependency==1.0.0 (from -r requirements.txt (line 1))"),
                (9.517, "Installing collected packages: example-dependency"),
                (94.36, "Successfully installed example-dependency-1.0.0"),
            ),
            instruction=True,
            command=_INSTALL,
        ),
        _Step("[6/6] COPY . .", 1.0, instruction=True),
        _Step(
            "exporting to image",
            0.0,
            (
                (0.5, "exporting layers done"),
                (0.6, f"writing image sha256:{digest} done"),
                (0.7, "pushing layers done"),
            ),
            fills_rest=True,
        ),
    ]


def _elapsed(seconds: float) -> str:
    """BuildKit's elapsed-time prefix: four significant digits."""
    return (
        f"{seconds:.3f}"
        if seconds < 10
        else f"{seconds:.2f}"
        if seconds < 100
        else f"{seconds:.1f}"
    )


def _output(step: _Step, prefix: str, start: float, seconds: float) -> list[ScriptLine]:
    lines = []
    for at, text in step.output:
        if step.command:
            lines.append(ScriptLine(start + at, f"{prefix} {_elapsed(at)} {text}"))
        else:
            offset = seconds * at if step.fills_rest else at
            lines.append(ScriptLine(start + offset, f"{prefix} {text}"))
    return lines


def build_script(settings: Settings, *, cached: bool, outcome: str, digest: str) -> BuildScript:
    """The log of one build: `outcome` "error" fails it, "stuck" never ends it."""
    steps = _steps(settings, digest)
    failing = next(s for s in steps if s.command == _INSTALL) if outcome == "error" else None
    stopping = next(s for s in steps if s.command == _INSTALL) if outcome == "stuck" else None
    total = CACHED_SECONDS if cached else UNCACHED_SECONDS
    lines: list[ScriptLine] = [ScriptLine(0.0, '#0 building with "default" instance')]
    done: list[ScriptStep] = []
    clock = 0.0
    for number, step in enumerate(steps, start=1):
        prefix = f"#{number}"
        from_cache = cached and step.instruction and step is not failing
        seconds = 0.05 if from_cache else step.seconds
        if step.fills_rest:
            seconds = max(total - clock, 1.0)
        lines.append(ScriptLine(clock, f"{prefix} {step.title}"))
        if step is stopping:
            first = _output(step, prefix, clock, seconds)[0]
            running = ScriptStep(step.title, clock, None, cached=False)
            return BuildScript((*lines, first), (*done, running), first.offset, None)
        if from_cache:
            lines.append(ScriptLine(clock + seconds, f"{prefix} CACHED"))
            done.append(ScriptStep(step.title, clock, clock + seconds, cached=True))
            clock += seconds
            continue
        if step is failing:
            return _failed(lines, done, step, prefix, clock, settings)
        lines += _output(step, prefix, clock, seconds)
        lines.append(ScriptLine(clock + seconds, f"{prefix} DONE {seconds:.1f}s"))
        done.append(ScriptStep(step.title, clock, clock + seconds, cached=False))
        clock += seconds
    return BuildScript(tuple(lines), tuple(done), clock, None)


def _failed(
    lines: list[ScriptLine],
    done: list[ScriptStep],
    step: _Step,
    prefix: str,
    clock: float,
    settings: Settings,
) -> BuildScript:
    missing = "example-dependency==9.9.9"  # a pin that cannot resolve
    why = f'process "/bin/sh -c {step.command}" did not complete successfully: exit code: 1'
    output = (
        (2.804, f"Collecting {missing} (from -r requirements.txt (line 2))"),
        (
            3.402,
            f"ERROR: Could not find a version that satisfies the requirement {missing}"
            " (from versions: none)",
        ),
        (3.403, f"ERROR: No matching distribution found for {missing}"),
    )
    for seconds, text in output:
        lines.append(ScriptLine(clock + seconds, f"{prefix} {_elapsed(seconds)} {text}"))
    at = clock + output[-1][0]
    trailer = (
        f"{prefix} ERROR: {why}",
        "------",
        f" > {step.title}:",
        *(f"{_elapsed(seconds)} {text}" for seconds, text in output[1:]),
        "------",
        f"{settings.dockerfile}: RUN {step.command}",
        f"ERROR: failed to solve: {why}",
    )
    for text in trailer:
        at += 0.01
        lines.append(ScriptLine(at, text))
    failed = ScriptStep(step.title, clock, at, cached=False, failed=True)
    return BuildScript(tuple(lines), (*done, failed), at, f"Build failed: {why}")
