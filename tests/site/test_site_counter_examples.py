"""The original guide's wrong commands appear only inside counter-example fences,
in the Markdown sources and in the built site, and each is shown there once."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from site_html import code_blocks, pages

_SERVICES = r"koyeb\s+(?:services|service|svc|s)\s+"
# The three commands of the original guide, recognised in any form (alias, order of flags).
WRONG_COMMANDS = {
    "redeploy with --docker-args/--skip-cache": re.compile(
        _SERVICES + r"redeploy\b[^\n]*--(?:docker-args|skip-cache)"
    ),
    "update with --docker-args as a build arg": re.compile(
        _SERVICES + r"update\b[^\n]*--docker-args?[ =]\S*--build-arg"
    ),
    "logs --follow": re.compile(_SERVICES + r"(?:logs|log|l)\b[^\n]*\s(?:--follow|-f)\b"),
}

_FENCE = re.compile(r"^(?P<indent> *)(?P<ticks>`{3,})\s*(?P<info>[^\n]*)$")


def _outside_counter_examples(markdown: str) -> str:
    """The Markdown with every counter-example fence removed."""
    kept: list[str] = []
    closing: str | None = None
    for line in markdown.splitlines():
        if closing is not None:
            if line.strip() == closing:
                closing = None
            continue
        fence = _FENCE.match(line)
        if fence and "counter-example" in fence["info"]:
            closing = fence["ticks"]
            continue
        kept.append(line)
    return "\n".join(kept)


@pytest.mark.parametrize("name", WRONG_COMMANDS)
def test_wrong_command_is_absent_from_sources_outside_counter_examples(
    repo_root: Path, name: str
) -> None:
    for source in sorted((repo_root / "docs").rglob("*.md")):
        outside = _outside_counter_examples(source.read_text(encoding="utf-8"))
        hit = WRONG_COMMANDS[name].search(outside)
        assert hit is None, f"{source.relative_to(repo_root)}: {hit and hit[0]!r}"


@pytest.mark.parametrize("name", WRONG_COMMANDS)
def test_wrong_command_appears_in_the_site_only_as_a_counter_example(
    built_site: Path, name: str
) -> None:
    shown = 0
    for path in pages(built_site):
        html = path.read_text(encoding="utf-8")
        for block in code_blocks(html):
            if WRONG_COMMANDS[name].search(block.code):
                assert "counter-example" in block.classes, f"{path}: {block.code!r}"
                shown += 1
    assert shown == 1, f"the correction should show {name!r} exactly once, found {shown}"


def test_fence_filter_keeps_normal_blocks() -> None:
    markdown = "a\n```{.console .counter-example}\n$ bad\n```\n```console\n$ good\n```\n"
    assert _outside_counter_examples(markdown) == "a\n```console\n$ good\n```"
