"""Every page shows, at its foot, what CI proves about it, and each block its mark: the
same numbers and classes as the coverage report the doc-tests write
(guidetools.coverage, guidetools.verification). One walk through the nav per build."""

from __future__ import annotations

import re
from pathlib import Path

from playwright.sync_api import Page, expect
from site_pages import nav_pages

from guidetools.checks import page_checks
from guidetools.coverage import BlockRecord
from guidetools.guide import Guide
from guidetools.verification import CSS_CLASS, MARKS, sentence

REPO = Path(__file__).resolve().parents[2]
_TAG = re.compile(r"<[^>]+>")
_NOT_RUN = re.compile(r"(\d+) (?:commands?|blocks?) (?:is|are) not run")


def _check_line(shown: str, records: list[BlockRecord]) -> None:
    assert shown == _TAG.sub("", sentence(records))
    # The numbers a reader sees are the report's: commands run, validated, not run.
    run = sum(r.commands for r in records if r.kind == "console")
    koyeb = sum(r.commands for r in records if r.kind == "koyeb")
    exempt = sum(r.commands or 1 for r in records if r.kind == "exempt")
    if run:
        assert f"{run} command{'s' if run > 1 else ''} run" in shown
    if koyeb:
        assert f"{koyeb} koyeb command" in shown
    assert sum(int(n) for n in _NOT_RUN.findall(shown)) == exempt
    assert (not records) == ("it shows no code to run" in shown)


def test_each_page_says_what_ci_proves_about_it_and_marks_each_block(page: Page) -> None:
    guide = Guide(REPO)
    try:
        walked = 0
        for nav_page in nav_pages(REPO / "mkdocs.yml"):
            # The page's records as `make test` writes them to the coverage report.
            records = list(page_checks(guide, REPO / "docs" / nav_page.source).records)
            page.goto(nav_page.url or "./")
            line = page.locator(f"article .{CSS_CLASS}")
            expect(line).to_have_count(1)
            expect(line).to_be_visible()
            _check_line(line.inner_text(), records)
            marks = page.locator("article [data-doc-check]")
            shown = sorted(marks.evaluate_all("els => els.map(e => e.dataset.docCheck)"))
            assert shown == sorted(MARKS[r.kind][0] for r in records if r.kind in MARKS)
            walked += 1
        assert walked >= 10
    finally:
        guide.close()


def test_hovering_a_block_explains_its_mark(page: Page) -> None:
    page.goto("./")
    block = page.locator("article [data-doc-check]").first
    block.scroll_into_view_if_needed()
    before = block.evaluate("el => getComputedStyle(el, '::after').content")
    block.hover()
    after = block.evaluate("el => getComputedStyle(el, '::after').content")
    assert "CI: " in before and before != after
    assert block.get_attribute("data-doc-check-detail") in after
