"""The guide's two builders of the one `mkdocs.yml`: MkDocs with Material (the reference
today) and Zensical (its authors' successor), run as a reader or CI would run them.

Both build from the project's directory: the snippets' `base_path: ["."]` is resolved
against it. Zensical writes its site to `site/` and a build cache to `.cache/` inside
the project, and only there (`site_dir` must lie within it, `zensical build` takes no
output option), so it builds a copy of the project (`copy_project`), never a checkout.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path

BIN = Path(sys.executable).parent
#: The two builders, the reference first.
BUILDERS = ("mkdocs", "zensical")
#: What a copy leaves out, at the top of the project: what builds, tests and installs
#: write, none of which a build reads (and which a test running beside the copy may be
#: changing: Hypothesis' database).
_NOT_COPIED = frozenset(
    {".git", ".venv", "site", ".cache", "build", "dist", "test-artifacts"}
    | {".pytest_cache", ".mypy_cache", ".ruff_cache", ".hypothesis"}
)
#: ... and anywhere below it.
_NEVER_COPIED = frozenset({"__pycache__", "node_modules"})


def copy_project(root: Path, into: Path) -> Path:
    """A copy of the project at `root` in the new directory `into` (returned): every
    file a build may read (pages, config, included files, values), nothing it writes."""

    def ignored(directory: str, names: list[str]) -> set[str]:
        top = Path(directory) == root
        return {n for n in names if n in _NEVER_COPIED or (top and n in _NOT_COPIED)}

    shutil.copytree(root, into, ignore=ignored)
    return into


def copy_tree(source: Path, into: Path) -> Path:
    """A copy of the directory `source` (a package, the pages) in the new directory `into`
    (returned), without what runs write below it: compiled modules, which another test's
    process may be writing meanwhile."""
    shutil.copytree(source, into, ignore=shutil.ignore_patterns(*_NEVER_COPIED))
    return into


def build(
    builder: str, project: Path, *, env: Mapping[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """`mkdocs build --strict` or `zensical build --clean --strict` of `project` into
    its `site/`, from the project's directory; `env` adds to the environment (e.g.
    `SITE_URL`). Its `returncode` and `stderr` say whether and why it failed."""
    commands = {
        "mkdocs": [str(BIN / "mkdocs"), "build", "--strict", "--site-dir", "site"],
        # --clean: the cache in .cache/ is keyed on the files Zensical watches, which
        # a copy made a moment ago may not change.
        "zensical": [str(BIN / "zensical"), "build", "--clean", "--strict"],
    }
    return subprocess.run(
        commands[builder],
        cwd=project,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1", **(env or {})},
        capture_output=True,
        text=True,
        check=False,
    )
