"""Fixtures shared by every part of the suite."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path

import pytest

from guidetools.builders import build, copy_project

REPO = Path(__file__).resolve().parent.parent

#: build_site(builder, edit=None, env=None) -> the site's directory. See `build_site`.
BuildSite = Callable[..., Path]


@pytest.fixture(scope="session")
def repo_root() -> Path:
    return REPO


@pytest.fixture(scope="session")
def build_site(tmp_path_factory: pytest.TempPathFactory) -> BuildSite:
    """Build a copy of the checkout strictly with one builder (`mkdocs`, `zensical`);
    `edit`, if given, changes the copy first (it gets the copy's root); `env` adds to
    the build's environment."""

    def build_copy(
        builder: str,
        edit: Callable[[Path], object] | None = None,
        env: Mapping[str, str] | None = None,
    ) -> Path:
        project = copy_project(REPO, tmp_path_factory.mktemp(builder) / "project")
        if edit is not None:
            edit(project)
        done = build(builder, project, env=env)
        assert done.returncode == 0, f"{builder} build --strict failed:\n{done.stderr}"
        return project / "site"

    return build_copy


@pytest.fixture(scope="session")
def built_site(build_site: BuildSite) -> Path:
    """The guide built once per session with `mkdocs build --strict`: the reference."""
    return build_site("mkdocs")


@pytest.fixture(scope="session")
def built_zensical_site(build_site: BuildSite) -> Path:
    """The guide built once per session with `zensical build --clean --strict`."""
    return build_site("zensical")
