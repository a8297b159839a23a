"""What a dependency install prints in the fake's build log, per package manager.

The install is the slow step of a build, so its output is most of what a reader of
an uncached build log sees. It names the packages the RUN (or the requirements file
it reads from the build context) names, so the log reads as the project's own; the
lines are an abridged version of what pip, npm and apt-get print. Which RUN installs
what is read by `cachebust._dockerfile.installer`; other package managers (poetry,
yarn, go, cargo, ...) print nothing here but still take the time.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

#: pip options whose value is the next word, so that word is no package.
_PIP_VALUED = frozenset(
    {"-c", "--constraint", "-i", "--index-url", "--extra-index-url", "-f", "--find-links"}
    | {"-t", "--target", "--prefix", "--root", "--root-user-action", "--python-version"}
)
_REQUIREMENT = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*(\[[^\]]*\])?([=<>!~]=?\S*)?")
#: Used when a pip install names no package the fake can read, e.g. `pip install .`.
_SOME_PACKAGE = ("example-dependency==1.0.0", "")


@dataclass(frozen=True)
class InstallOutput:
    #: (fraction of the step's duration, text) printed while it runs: fractions, so an
    #: install of any length prints its last line just before it ends.
    progress: tuple[tuple[float, str], ...]
    #: (seconds into the step, text) printed when it fails, then its exit code.
    failure: tuple[tuple[float, str], ...]
    exit_code: int


def install_output(
    installs: tuple[str, tuple[str, ...]], context: Path, seconds: float
) -> InstallOutput:
    """What an install (package manager, words) prints when it runs for `seconds` in
    `context`, the build context."""
    manager, words = installs
    if manager == "pip":
        return _pip(list(words), context)
    if manager == "npm":
        return _npm(seconds)
    if manager == "apt":
        return _apt(list(words))
    return InstallOutput((), (), 1)


def _pip(words: list[str], context: Path) -> InstallOutput:
    found: list[tuple[str, str]] = []  # (requirement, where pip says it came from)
    # `pip sync` and `pip wheel` name no packages the way `pip install` does.
    rest = words[words.index("install") + 1 :] if "install" in words else []
    for index, word in enumerate(rest):
        previous = rest[index - 1] if index else ""
        if previous in ("-r", "--requirement"):
            found += _requirements(context, word)
        elif word.startswith("--requirement="):
            found += _requirements(context, word.partition("=")[2])
        elif word.startswith("-r") and len(word) > 2:
            found += _requirements(context, word[2:])
        elif (
            not word.startswith("-")
            and previous not in _PIP_VALUED
            and _REQUIREMENT.fullmatch(word)
        ):
            found.append((word, ""))
    packages = found or [_SOME_PACKAGE]
    names = [re.split(r"[\[=<>!~]", spec, maxsplit=1)[0] for spec, _ in packages]
    installed = [
        f"{name}-{spec.partition('==')[2]}" if "==" in spec else name
        for (spec, _), name in zip(packages, names, strict=True)
    ]
    collecting = tuple(
        (0.02 + 0.3 * index / len(packages), f"Collecting {spec}{origin}")
        for index, (spec, origin) in enumerate(packages)
    )
    progress = (
        *collecting,
        (0.9, f"Installing collected packages: {', '.join(names)}"),
        (0.995, f"Successfully installed {' '.join(installed)}"),
    )
    first, origin = packages[0]
    failure = (
        (2.804, f"Collecting {first}{origin}"),
        (
            3.402,
            f"ERROR: Could not find a version that satisfies the requirement {first}"
            " (from versions: none)",
        ),
        (3.403, f"ERROR: No matching distribution found for {first}"),
    )
    return InstallOutput(progress, failure, 1)


def _requirements(context: Path, name: str) -> list[tuple[str, str]]:
    """(requirement, origin) for each requirement line of `name` in the build context."""
    # An absolute name is a path in the image; the file was copied there from the context.
    path = context / (PurePosixPath(name).name if name.startswith("/") else name)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return []
    found: list[tuple[str, str]] = []
    start, pending = 0, ""
    for number, raw in enumerate(text.splitlines(), start=1):
        line = re.sub(r"(^|\s)#.*", "", raw).rstrip()
        if not pending:
            start = number
        if line.endswith("\\"):
            pending += line[:-1] + " "
            continue
        logical, pending = (pending + line).strip(), ""
        spec = logical.split(";", 1)[0].split()[0] if logical else ""
        if spec and not spec.startswith("-"):
            found.append((spec, f" (from -r {name} (line {start}))"))
    return found


def _npm(seconds: float) -> InstallOutput:
    took = f"{seconds / 60:.0f}m" if seconds >= 60 else f"{seconds:.0f}s"
    progress = ((0.99, f"added 87 packages, and audited 88 packages in {took}"),)
    failure = (
        (30.11, "npm error code ECONNRESET"),
        (30.11, "npm error network aborted"),
        (30.12, "npm error network This is a problem related to network connectivity."),
    )
    return InstallOutput(progress, failure, 1)


def _apt(words: list[str]) -> InstallOutput:
    packages = [w for w in words[words.index("install") + 1 :] if not w.startswith("-")]
    reading = (
        "Reading package lists...",
        "Building dependency tree...",
        "Reading state information...",
    )
    progress = (
        *((0.01 * (index + 1), text) for index, text in enumerate(reading)),
        (0.04, "The following NEW packages will be installed:"),
        (0.04, "  " + " ".join(packages)),
        (0.05, f"0 upgraded, {len(packages)} newly installed, 0 to remove and 0 not upgraded."),
    )
    missing = packages[0] if packages else "example-package"
    failure = (
        *((1.0 + index, text) for index, text in enumerate(reading)),
        (3.1, f"E: Unable to locate package {missing}"),
    )
    return InstallOutput(progress, failure, 100)
