"""Every page shows, at its foot, what CI proves about it: the same numbers as the
coverage report the doc-tests write (guidetools.coverage, guidetools.verification)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from site_pages import NavPage

from guidetools.checks import page_checks
from guidetools.coverage import BlockRecord
from guidetools.guide import Guide
from guidetools.verification import CSS_CLASS, MARKS, sentence

REPO = Path(__file__).resolve().parents[2]
_TAG = re.compile(r"<[^>]+>")


@pytest.fixture(scope="module")
def guide() -> Iterator[Guide]:
    made = Guide(REPO)
    yield made
    made.close()


def _numbers(text: str) -> list[int]:
    return [int(n) for n in re.findall(r"\b\d+\b", text)]


def _report(guide: Guide, nav_page: NavPage) -> list[BlockRecord]:
    """The page's records as `make test` writes them to the coverage report."""
    return list(page_checks(guide, REPO / "docs" / nav_page.source).records)


def test_each_page_says_what_ci_proves_about_it(
    page: Page, nav_page: NavPage, guide: Guide
) -> None:
    records = _report(guide, nav_page)
    page.goto(nav_page.url or "./")
    line = page.locator(f"article .{CSS_CLASS}")
    expect(line).to_have_count(1)
    expect(line).to_be_visible()
    shown = line.inner_text()
    assert shown == _TAG.sub("", sentence(records))
    # The numbers a reader sees are the report's: commands run, validated, not run.
    run = sum(r.commands for r in records if r.kind == "console")
    koyeb = sum(r.commands for r in records if r.kind == "koyeb")
    exempt = sum(r.commands or 1 for r in records if r.kind == "exempt")
    numbers = _numbers(shown)
    if run:
        assert f"{run} command" in shown and run in numbers
    if koyeb:
        assert f"{koyeb} koyeb command" in shown
    not_run = [int(n) for n in re.findall(r"(\d+) (?:commands?|blocks?) (?:is|are) not run", shown)]
    assert sum(not_run) == exempt
    assert (not records) == ("it shows no code to run" in shown)


def test_each_block_carries_the_mark_of_its_class(
    page: Page, nav_page: NavPage, guide: Guide
) -> None:
    records = _report(guide, nav_page)
    page.goto(nav_page.url or "./")
    marks = page.locator("article [data-doc-check]")
    shown = sorted(marks.evaluate_all("els => els.map(e => e.dataset.docCheck)"))
    assert shown == sorted(MARKS[r.kind][0] for r in records if r.kind in MARKS)
    if records:
        block = marks.first
        block.scroll_into_view_if_needed()
        before = block.evaluate("el => getComputedStyle(el, '::after').content")
        block.hover()
        after = block.evaluate("el => getComputedStyle(el, '::after').content")
        assert before != after and block.get_attribute("data-doc-check-detail") in after
