"""One mkdocs.yml, two builders: MkDocs with Material (the reference) and Zensical build
the same guide, page by page, and the doc-tests render pages as both do.

The builds are the session's `built_site` and `built_zensical_site`, each of a copy of
the checkout, strictly; either failing fails every test that uses it. The comparison
is `guidetools.compare`; its allowlist (`ALLOWED`) holds the theme's differences, each
with its reason.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from site_html import code_blocks, page

from guidetools.builders import BUILDERS
from guidetools.compare import ALLOWED, Comparison, compare, main
from guidetools.render import Renderer
from guidetools.transcript import commands

_CONFIG_TAGS = ("!", "tag:yaml.org,2002:python/")


class _ConfigLoader(yaml.SafeLoader):
    """mkdocs.yml without running it: its tags (`!ENV`, `!!python/name:`) load as None."""


for _prefix in _CONFIG_TAGS:
    _ConfigLoader.add_multi_constructor(_prefix, lambda loader, suffix, node: None)


def _config(root: Path) -> dict[str, Any]:
    data: dict[str, Any] = yaml.load((root / "mkdocs.yml").read_text(), Loader=_ConfigLoader)
    return data


def _nav_sources(entries: list[Any]) -> list[str]:
    found: list[str] = []
    for entry in entries:
        target = next(iter(entry.values())) if isinstance(entry, dict) else entry
        found += _nav_sources(target) if isinstance(target, list) else [target]
    return found


def _built_name(source: str) -> str:
    stem = source.removesuffix(".md")
    return "index.html" if stem == "index" else f"{stem}/index.html"


@pytest.fixture(scope="module")
def comparison(built_site: Path, built_zensical_site: Path, repo_root: Path) -> Comparison:
    return compare(built_site, built_zensical_site, repo_root)


def test_zensical_builds_what_mkdocs_builds(comparison: Comparison) -> None:
    unexplained = comparison.unexplained()
    assert not unexplained, "differences not in ALLOWED, by page:\n" + comparison.report()
    # Every allowance is still needed: a stale entry would hide the next difference.
    assert {(d.page, d.aspect) for d in comparison.differences} == set(ALLOWED)


def test_the_command_line_lists_the_differences_by_page(
    built_site: Path,
    built_zensical_site: Path,
    repo_root: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.chdir(repo_root)
    assert main([str(built_site), str(built_zensical_site)]) == 0
    report = capsys.readouterr().out.splitlines()
    assert report[-1] == f"{len(ALLOWED)} differences, 0 not in ALLOWED"
    assert "allowed: the theme's <title> of the home page: index.html: title[0]" in report


def test_the_comparison_covers_every_page_and_aspect(
    comparison: Comparison, repo_root: Path
) -> None:
    """A comparison that reads nothing finds no difference: prove it read each part."""
    nav = [_built_name(source) for source in _nav_sources(_config(repo_root)["nav"])]
    assert sorted(comparison.compared) == sorted([*nav, "404.html"])
    for name in nav:
        counts = comparison.compared[name]
        assert counts["headings"] and counts["text"] and counts["nav"] >= len(nav), name
        assert counts["macro values"] or name == "reference/cli/index.html", name
    # The CLI reference (mkdocs-click): a heading and a usage block per command.
    assert comparison.compared["reference/cli/index.html"]["code"] >= 5
    # Every include of every page was found and compared.
    includes = sum(
        len(re.findall(r'^\s*--8<--\s+"', p.read_text(), re.MULTILINE))
        for p in (repo_root / "docs").rglob("*.md")
    )
    assert sum(c.get("included files", 0) for c in comparison.compared.values()) == includes
    assert includes > 0


def test_the_comparison_sees_a_changed_value_and_a_changed_include(
    build_site: Callable[..., Path], built_site: Path, repo_root: Path
) -> None:
    """Negative control: a Zensical build of a project whose app name and runbook differ
    from the sources compared against differs in exactly those ways."""

    def change(project: Path) -> None:
        pyproject = project / "pyproject.toml"
        toml = re.sub(r'(?m)^app = ".*"$', 'app = "orchard-web"', pyproject.read_text())
        pyproject.write_text(toml)
        with (project / "runbooks" / "force-koyeb-rebuild.sh").open("a") as runbook:
            runbook.write("# one more line\n")

    changed = compare(built_site, build_site("zensical", change), repo_root)
    found = {(d.page, d.aspect) for d in changed.unexplained()}
    assert ("how-to/manual/index.html", "macro values") in found
    assert ("how-to/manual/index.html", "code") in found
    assert ("how-to/manual/index.html", "text") in found
    assert ("reference/files/index.html", "included files") in found
    assert all(aspect != "file" for _, aspect in found)


@pytest.mark.parametrize("builder", BUILDERS)
def test_site_url_comes_from_the_environment(build_site: Callable[..., Path], builder: str) -> None:
    """`site_url: !ENV SITE_URL`: canonical links and the sitemap follow SITE_URL, as the
    deploy workflow sets it from GitHub Pages' address, in both builders."""
    url = "https://pages.example.test/koyeb-guide"
    site = build_site(builder, env={"SITE_URL": url})
    manual = page(site, "how-to/manual.md")
    assert f'<link rel="canonical" href="{url}/how-to/manual/">' in manual
    sitemap = re.findall(r"<loc>([^<]*)</loc>", (site / "sitemap.xml").read_text())
    assert f"{url}/" in sitemap and f"{url}/how-to/manual/" in sitemap
    assert all(loc.startswith(f"{url}/") for loc in sitemap)


def test_site_url_is_set_in_one_place(repo_root: Path) -> None:
    config = (repo_root / "mkdocs.yml").read_text()
    assert re.findall(r"(?m)^site_url:.*$", config) == ["site_url: !ENV SITE_URL"]
    deploy = (repo_root / ".github/workflows/deploy.yml").read_text()
    assert "SITE_URL: ${{ steps.pages.outputs.base_url }}" in deploy


def test_mkdocs_yml_asks_for_what_the_doc_tests_render_with(repo_root: Path) -> None:
    """guidetools.render reads pages with a plain Jinja environment: default
    delimiters, undefined names fail, the names of guidetools.macros."""
    config = _config(repo_root)
    macros = next(p["macros"] for p in config["plugins"] if isinstance(p, dict) and "macros" in p)
    assert macros["modules"] == ["guidetools.macros"]
    assert macros["on_undefined"] == "strict"
    assert not [key for key in macros if key.startswith(("j2_", "include_", "render_"))]
    assert "hooks" not in config  # Zensical would ignore them


def test_doc_tests_render_every_page_as_mkdocs_macros_does(repo_root: Path) -> None:
    """The plain environment and mkdocs-macros' own agree on every page (and the
    comparison shows that Zensical's macros agree with mkdocs-macros)."""
    from mkdocs.config import load_config

    config = load_config(config_file=str(repo_root / "mkdocs.yml"))
    plugin: Any = config.plugins.on_config(config).plugins["macros"]
    renderer = Renderer(repo_root)
    pages = sorted((repo_root / "docs").rglob("*.md"))
    assert pages
    for path in pages:
        source = path.read_text()
        ours = renderer.render(source, path=path)
        assert ours == plugin.env.from_string(source).render(**plugin.variables), path


def test_copy_rule_is_the_same_in_both_builds(built_site: Path, built_zensical_site: Path) -> None:
    """What each console block copies, read from each build: the commands only."""
    for site in (built_site, built_zensical_site):
        blocks = [b for b in code_blocks(page(site, "how-to/manual.md")) if b.language == "console"]
        assert blocks
        for block in blocks:
            if "counter-example" in block.classes:
                assert "no-copy" in block.classes and block.data_copy is None
            else:
                assert block.data_copy == "\n".join(commands(block.code))
