"""Configured values: pages use macros; README.md writes them by hand, checked here."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from cachebust._config import Settings, load
from guidetools.values import literal_values, readme_values

PAGE = Path("docs/page.md")


def _settings(repo_root: Path) -> Settings:
    return load(repo_root)


def test_a_page_writing_a_configured_value_by_hand_is_named(repo_root: Path) -> None:
    settings = _settings(repo_root)
    text = (
        "Rebuild `{{ target }}`.\n"
        f"$ cachebust rebuild {settings.target}\n"
        f"The `ARG {settings.build_arg}` line, and {settings.build_arg}_CLI is another name.\n"
        f"The `{settings.service}` service.\n"
    )
    assert literal_values(PAGE, text, settings) == [
        f"docs/page.md:2: writes {settings.target!r} by hand: use {{{{ target }}}}",
        f"docs/page.md:3: writes {settings.build_arg!r} by hand: use {{{{ build_arg }}}}",
        f"docs/page.md:4: writes {settings.service!r} by hand: use {{{{ service }}}}",
    ]


def test_the_readme_matches_the_configuration(repo_root: Path) -> None:
    readme = repo_root / "README.md"
    assert readme_values(Path("README.md"), readme.read_text(), _settings(repo_root)) == []


def test_a_readme_out_of_date_with_the_configuration_is_named(repo_root: Path) -> None:
    original = _settings(repo_root)
    settings = dataclasses.replace(original, service="edge", build_arg="BUST_ID")
    text = (repo_root / "README.md").read_text()
    problems = readme_values(Path("README.md"), text, settings)
    line = next(n for n, row in enumerate(text.splitlines(), 1) if "the sample `" in row)
    assert problems == [
        f"README.md:{line}: says service {original.service!r}, but [tool.cachebust] says 'edge'",
        f"README.md:{line}: says build_arg {original.build_arg!r}, but [tool.cachebust] says "
        "'BUST_ID'",
    ]


def test_a_readme_that_stops_writing_a_value_asks_for_the_list_to_change(
    repo_root: Path,
) -> None:
    problems = readme_values(Path("README.md"), "# Nothing here\n", _settings(repo_root))
    assert len(problems) == 2
    assert all("update the list" in problem for problem in problems)
