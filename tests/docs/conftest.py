"""Fixtures for the doc-checker's own tests: the session's guide, and temporary copies
of the project to break on purpose."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from tests.git_checkout import init

from guidetools.builders import copy_tree
from guidetools.guide import Guide
from guidetools.pytest_plugin import GUIDE

#: What the site and the doc-tests read: config, pages, included files.
PROJECT_FILES = (
    "pyproject.toml",
    "mkdocs.yml",
    "README.md",
    "docs",
    "backend",
    "runbooks",
    ".github/workflows",
    "action.yml",
    "examples",
    "Makefile",
    "requirements",
)


@pytest.fixture
def guide(request: pytest.FixtureRequest) -> Guide:
    """The session's guide: renderer, shared fake API, linters (see guidetools.pytest_plugin)."""
    return request.config.stash[GUIDE]


@pytest.fixture
def project_copy(repo_root: Path, tmp_path: Path) -> Callable[..., Path]:
    """A copy of the project's docs-facing files; extra paths (e.g. `src`) on request.
    It is a git checkout with its files committed, as the repository is: `cachebust
    status` compares what Koyeb runs with the checkout's HEAD."""

    def copy(*extra: str) -> Path:
        root = tmp_path / "project"
        for name in (*PROJECT_FILES, *extra):
            source, target = repo_root / name, root / name
            target.parent.mkdir(parents=True, exist_ok=True)
            if source.is_dir():
                copy_tree(source, target)
            else:
                shutil.copy2(source, target)
        return init(root)

    return copy


@pytest.fixture
def guides() -> Iterator[Callable[..., Guide]]:
    """Guides on other roots or with another CLI; each stops its fake afterwards."""
    made: list[Guide] = []

    def make(root: Path, path: tuple[str, ...] = (), env: dict[str, str] | None = None) -> Guide:
        guide = Guide(root, path, env or {})
        made.append(guide)
        return guide

    yield make
    for guide in made:
        guide.close()
