"""The built guide: every section of the original guide is there, with the values from
[tool.cachebust], the included Dockerfile, and copy buttons that copy commands only."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from site_html import code_blocks, headings, links, page, pages, text

from cachebust._config import Settings, load
from guidetools.transcript import commands

# The original guide's sections, where each lives now, and the heading that holds it.
GUIDE_SECTIONS = [
    ("overview", "index.md", "Koyeb cache-busting guide"),
    (
        "how it works: the ARG",
        "explanation/how-it-works.md",
        "The build argument in the Dockerfile",
    ),
    (
        "how it works: before the source COPY",
        "explanation/how-it-works.md",
        "Why after the dependencies and before the source",
    ),
    (
        "how it works: layer cache",
        "explanation/how-it-works.md",
        "How Docker decides that a step is cached",
    ),
    ("automatic cache busting in CI/CD", "how-to/ci-cd.md", "Cache busting in CI/CD"),
    ("manual cache busting", "how-to/manual.md", "Manual cache busting"),
    ("correction of the old commands", "how-to/manual.md", "If you used the earlier guide"),
    ("manual: Python API", "how-to/manual.md", "Python API"),
    ("when: dependencies", "explanation/when-to-bust.md", "1. New dependencies did not arrive"),
    ("when: base image", "explanation/when-to-bust.md", "2. The base image was updated"),
    (
        "when: external resources",
        "explanation/when-to-bust.md",
        "3. The build fetches something from outside",
    ),
    ("when: stale code", "explanation/when-to-bust.md", "4. The deployment runs stale code"),
    ("monitoring a deployment", "how-to/monitor.md", "Monitor a deployment"),
    ("troubleshooting: old code", "troubleshooting.md", "Koyeb still runs the old code"),
    ("troubleshooting: build fails", "troubleshooting.md", "The build fails with the cache bust"),
    ("troubleshooting: token", "troubleshooting.md", "KOYEB_TOKEN not set"),
    ("troubleshooting: CDN", "troubleshooting.md", "Old content from an HTTP cache or CDN"),
    (
        "troubleshooting: old command",
        "troubleshooting.md",
        '"Invalid command" or "unknown flag" after pasting an old command',
    ),
    ("troubleshooting: bare name", "troubleshooting.md", '"Unable to find the service"'),
    (
        "troubleshooting: timeout",
        "troubleshooting.md",
        "The wait ran out (--timeout, --wait-timeout)",
    ),
    ("troubleshooting: 401", "troubleshooting.md", "401: the token is rejected"),
    ("troubleshooting: install", "troubleshooting.md", "Installing the official koyeb CLI safely"),
    ("best practices", "how-to/best-practices.md", "Best practices"),
    ("architecture: DRY", "explanation/architecture.md", "DRY: one source for each fact"),
    (
        "architecture: YAGNI",
        "explanation/architecture.md",
        "YAGNI: only what the platform supports",
    ),
    (
        "architecture: first principles",
        "explanation/architecture.md",
        "First principles: what really invalidates a cache",
    ),
    (
        "architecture: incremental",
        "explanation/architecture.md",
        "Incremental: each layer usable on its own",
    ),
    ("related files", "reference/files.md", "Related files"),
    ("configuration reference", "reference/configuration.md", "Configuration"),
    ("CLI reference", "reference/cli.md", "CLI reference"),
    ("platform contract", "reference/contract.md", "Platform contract"),
]


@pytest.fixture(scope="module")
def settings(repo_root: Path) -> Settings:
    return load(repo_root)


def test_strict_build_produces_every_page(built_site: Path) -> None:
    # built_site runs `mkdocs build --strict`, which aborts on the first warning.
    assert (built_site / "sitemap.xml").is_file()
    assert len(pages(built_site)) >= len({path for _, path, _ in GUIDE_SECTIONS})


@pytest.mark.parametrize(
    ("section", "path", "heading"), GUIDE_SECTIONS, ids=[s for s, _, _ in GUIDE_SECTIONS]
)
def test_each_guide_section_is_in_the_site(
    built_site: Path, section: str, path: str, heading: str
) -> None:
    assert heading in headings(page(built_site, path)), f"{section}: no heading {heading!r}"


def test_manual_methods_are_side_by_side_tabs(built_site: Path) -> None:
    html = page(built_site, "how-to/manual.md")
    labels = [
        text(label)
        for label in html.split('<div class="tabbed-labels">', 1)[1]
        .split("</div>")[0]
        .split("</label>")[:-1]
    ]
    assert labels == ["Helper script", "Koyeb CLI", "Dashboard"]


def test_troubleshooting_is_symptom_cause_solution_admonitions(built_site: Path) -> None:
    """Each entry (a heading followed by a Symptom) opens with the symptom, then gives the
    cause and the solution, in that order."""
    html = page(built_site, "troubleshooting.md")
    entries = [
        section
        for section in html.split("<h2 ")[1:]
        if '<p class="admonition-title">Symptom</p>' in section
    ]
    assert len(entries) == 8
    for section in entries:
        titles = [
            section.find(
                f'<div class="admonition {kind}">\n<p class="admonition-title">{title}</p>'
            )
            for kind, title in (("failure", "Symptom"), ("info", "Cause"), ("success", "Solution"))
        ]
        assert -1 < titles[0] < titles[1] < titles[2], section[:200]
        assert section.split("</h2>", 1)[1].lstrip().startswith('<div class="admonition failure">')


def test_included_dockerfile_shows_the_cache_bust_arg(built_site: Path, settings: Settings) -> None:
    arg_line = f"ARG {settings.build_arg}={settings.build_arg_default}"
    assert arg_line in (settings.root / settings.dockerfile).read_text().splitlines()
    dockerfiles = [
        b
        for b in code_blocks(page(built_site, "explanation/how-it-works.md"))
        if b.language == "dockerfile"
    ]
    assert len(dockerfiles) == 1
    assert arg_line in dockerfiles[0].code.splitlines()


def test_pages_show_the_configured_values(built_site: Path, settings: Settings) -> None:
    manual = page(built_site, "how-to/manual.md")
    copies = [b.data_copy for b in code_blocks(manual)]
    assert f"koyeb service redeploy {settings.target} --wait" in copies
    config = text(page(built_site, "reference/configuration.md"))
    for value in (
        settings.app,
        settings.service,
        settings.dockerfile,
        settings.build_arg,
        settings.api_url,
    ):
        assert value in config


def test_console_copy_buttons_copy_only_the_commands(built_site: Path) -> None:
    consoles = [
        block
        for path in pages(built_site)
        for block in code_blocks(path.read_text(encoding="utf-8"))
        if block.language == "console"
    ]
    assert len(consoles) > 20
    for block in consoles:
        if "counter-example" in block.classes:
            assert "no-copy" in block.classes and block.data_copy is None
            continue
        assert block.data_copy == "\n".join(commands(block.code))
        assert block.data_copy and not any(
            line.startswith("$") for line in block.data_copy.splitlines()
        )
        assert "..." not in block.data_copy


def test_cachebust_rebuild_block_copies_exactly_that_command(built_site: Path) -> None:
    copies = {b.data_copy for b in code_blocks(page(built_site, "how-to/manual.md"))}
    assert "cachebust rebuild" in copies


def test_commands_keeps_continuations_and_drops_output() -> None:
    session = "$ one \\\n  --flag\noutput\n...\n$ two\n$x not a prompt\n"
    assert commands(session) == ["one \\\n  --flag", "two"]


def test_cli_reference_shows_each_command_as_its_help_does(built_site: Path) -> None:
    """Generated from the Click definitions: usage, options with their real defaults, and
    the examples as code, with nothing swallowed as HTML (`<token>`) or shown as a
    placeholder object (`Sentinel.UNSET`)."""
    import click
    from click.testing import CliRunner

    from cachebust.cli import root

    html_page = page(built_site, "reference/cli.md")
    blocks = [block.code for block in code_blocks(html_page)]
    visible = text(html_page)
    assert "Sentinel" not in visible
    for name in root.list_commands(click.Context(root)):
        help_text = CliRunner().invoke(root, [name, "--help"], terminal_width=80).output
        assert f"cachebust {name} [OPTIONS]" in "".join(blocks), name
        for line in help_text.splitlines():
            # Every example and every default the terminal shows is on the page too.
            if line.startswith("      cachebust ") or "[default: " in line:
                assert line.split("[default: ")[-1].strip() in visible, (name, line)
    assert "Authorization: Bearer <token>" in visible


def test_every_troubleshooting_anchor_of_an_error_is_on_the_page(built_site: Path) -> None:
    """The anchors the CLI prints in its fix lines, and the exit-code table links, are
    headings of the built troubleshooting page."""
    from cachebust import _errors

    anchors = {
        value.troubleshooting
        for value in vars(_errors).values()
        if isinstance(value, type)
        and issubclass(value, _errors.CachebustError)
        and value.troubleshooting
    }
    assert len(anchors) >= 5
    ids = set(re.findall(r'<h2 id="([^"]+)"', page(built_site, "troubleshooting.md")))
    assert anchors <= ids, anchors - ids
    table = [
        link.href
        for link in links(page(built_site, "reference/cli.md"))
        if "troubleshooting/#" in link.href
    ]
    assert {href.split("#", 1)[1] for href in table} >= anchors, table


def test_the_exit_code_table_lists_every_code_as_help_does(built_site: Path) -> None:
    from cachebust._errors import ExitCode

    html = page(built_site, "reference/cli.md")
    rows = re.findall(r"<tr>\s*<td>(\d+)</td>\s*<td>(.*?)</td>", html, re.S)
    assert [int(code) for code, _ in rows] == [int(code) for code in ExitCode]
    for (_, meaning), code in zip(rows, ExitCode, strict=True):
        assert text(meaning) == (code.__doc__ or "").replace("`", "")
