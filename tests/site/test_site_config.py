"""[tool.cachebust] drives the site: a copy of the project with other values builds a
site that shows them, with either builder."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from site_html import code_blocks, page, pages, text

from cachebust._config import Settings, load
from guidetools.builders import BUILDERS
from guidetools.macros import config_table, dockerfile_lines, variables

NEW = {
    "app": "orchard-web",
    "service": "edge",
    "build-arg": "BUST_ID",
    "build-arg-default": "7",
    "api-url": "https://api.example.test",
}


@pytest.fixture(scope="module")
def settings(repo_root: Path) -> Settings:
    return load(repo_root)


def _other_values(settings: Settings) -> Callable[[Path], None]:
    """An edit of a project copy: NEW in its [tool.cachebust], and its Dockerfile's
    cache-bust argument renamed to match."""

    def edit(root: Path) -> None:
        pyproject = root / "pyproject.toml"
        toml = pyproject.read_text()
        for key, value in NEW.items():
            toml, count = re.subn(rf'(?m)^{re.escape(key)} = ".*"$', f'{key} = "{value}"', toml)
            assert count == 1, key
        pyproject.write_text(toml)
        dockerfile = root / settings.dockerfile
        old_arg = f"ARG {settings.build_arg}={settings.build_arg_default}"
        new_arg = f"ARG {NEW['build-arg']}={NEW['build-arg-default']}"
        source = dockerfile.read_text().replace(old_arg, new_arg)
        dockerfile.write_text(
            source.replace(f"${{{settings.build_arg}}}", f"${{{NEW['build-arg']}}}")
        )

    return edit


@pytest.fixture(scope="module", params=BUILDERS)
def other_site(
    request: pytest.FixtureRequest, build_site: Callable[..., Path], settings: Settings
) -> Path:
    """A copy of the project with other values, built by each builder in turn."""
    return build_site(request.param, _other_values(settings))


def _guide_text(site: Path) -> str:
    # The CLI reference comes from the installed CLI, and the platform contract states
    # facts about Koyeb (such as its API's address), not this project's values.
    return "\n".join(
        text(p.read_text(encoding="utf-8"))
        for p in pages(site)
        if not any(name in p.as_posix() for name in ("reference/cli", "reference/contract"))
    )


def test_changed_config_changes_the_site(other_site: Path, settings: Settings) -> None:
    guide = _guide_text(other_site)
    assert "orchard-web/edge" in guide
    assert f"ARG {NEW['build-arg']}={NEW['build-arg-default']}" in guide
    assert NEW["api-url"] in guide
    assert settings.target not in guide
    assert settings.api_url not in guide
    copies = {b.data_copy for b in code_blocks(page(other_site, "how-to/manual.md"))}
    assert "koyeb service redeploy orchard-web/edge --wait" in copies


def test_the_original_site_shows_the_original_values(built_site: Path, settings: Settings) -> None:
    guide = _guide_text(built_site)
    assert settings.target in guide and "orchard-web" not in guide


def test_variables_come_from_settings(settings: Settings) -> None:
    assert variables(settings) == {
        "app": settings.app,
        "service": settings.service,
        "target": f"{settings.app}/{settings.service}",
        "dockerfile": settings.dockerfile,
        "build_context": str(Path(settings.dockerfile).parent),
        "build_arg": settings.build_arg,
        "build_arg_default": settings.build_arg_default,
        "api_url": settings.api_url,
    }


def test_dockerfile_lines_point_at_arg_run_and_copy(settings: Settings) -> None:
    lines = (settings.root / settings.dockerfile).read_text().splitlines()
    found = dockerfile_lines(settings)
    assert lines[found.arg - 1] == f"ARG {settings.build_arg}={settings.build_arg_default}"
    assert lines[found.run - 1].startswith("RUN ") and settings.build_arg in lines[found.run - 1]
    assert lines[found.copy - 1].startswith("COPY ")
    assert found.arg < found.run < found.copy


def test_config_table_lists_every_key(settings: Settings) -> None:
    table = config_table(settings)
    for key in ("app", "service", "dockerfile", "build-arg", "build-arg-default", "api-url"):
        assert f"| `{key}` |" in table
