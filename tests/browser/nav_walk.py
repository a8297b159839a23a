"""What a reader should find on each page of the nav, checked on the page open in a
browser: the checks of the one walk through the nav (test_browser_pages.py). A page
load costs most of a browser test's time, so the checks share that walk instead of
each opening every page again."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect
from site_pages import NavPage, text

from guidetools.checks import page_checks
from guidetools.coverage import BlockRecord
from guidetools.guide import Guide
from guidetools.verification import CSS_CLASS, MARKS, sentence

DESKTOP = {"width": 1280, "height": 900}
#: A phone's width: words kept whole must still fit the column there.
PHONE = {"width": 390, "height": 844}

_NOT_RUN = re.compile(r"(\d+) (?:commands?|blocks?) (?:is|are) not run")


def words_whole_and_within(page: Page, nav_page: NavPage, width: str) -> None:
    """Hyphenated words of inline code (`--use-cache`) are one box each, none reaches
    past the column outside a scrolling block or table, and the page does not scroll
    sideways."""
    found = page.evaluate(
        """() => {
            const column = document.querySelector("article").getBoundingClientRect().right;
            const words = [...document.querySelectorAll("article code .cb-nobreak")];
            const outside = w => !w.closest(".md-typeset__scrollwrap, .md-typeset__table");
            return {
                count: words.length,
                broken: words.filter(w => w.getClientRects().length > 1).map(w => w.textContent),
                wide: words.filter(w => outside(w) && w.getBoundingClientRect().right > column + 1)
                           .map(w => w.textContent),
                page: document.documentElement.scrollWidth - window.innerWidth,
            };
        }"""
    )
    assert found["broken"] == [], (nav_page, width, found)
    assert found["wide"] == [], (nav_page, width, found)
    assert found["page"] <= 0, (nav_page, width, found)


def counter_examples_in_sight(page: Page, nav_page: NavPage) -> int:
    """Nothing of a counter-example's command lies beyond the right edge of its block,
    where a reader would have to scroll to find the flag the page is about. Returns how
    many blocks the page has."""
    overflows: list[dict[str, float]] = page.locator(
        "article div.counter-example pre > code"
    ).evaluate_all(
        """codes => codes.map(code => {
            const range = document.createRange();
            range.selectNodeContents(code);
            const right = Math.max(...[...range.getClientRects()].map(r => r.right));
            return {right, edge: code.getBoundingClientRect().right,
                    scroll: code.scrollWidth - code.clientWidth};
        })"""
    )
    for index, overflow in enumerate(overflows):
        assert overflow["scroll"] <= 0, (nav_page, index, overflow)
        assert overflow["right"] <= overflow["edge"] + 1, (nav_page, index, overflow)
    return len(overflows)


def code_in_tables_as_large_as_in_text(page: Page, nav_page: NavPage) -> int:
    """Material shrinks table text; code in a table cell must not shrink below code in a
    paragraph, nor below 80% of the body text. Returns how many cells hold code."""
    sizes = page.evaluate(
        """() => {
            const size = el => parseFloat(getComputedStyle(el).fontSize);
            const body = document.querySelector("article > p, article p");
            const prose = document.querySelector("article p > code");
            return {
                body: body ? size(body) : null,
                prose: prose ? size(prose) : null,
                cells: [...document.querySelectorAll("article td code")].map(size),
            };
        }"""
    )
    if sizes["cells"]:
        smallest = min(sizes["cells"])
        assert sizes["body"] is not None, (nav_page, sizes)
        assert smallest >= 0.8 * sizes["body"], (nav_page, sizes)
        if sizes["prose"] is not None:
            assert smallest >= sizes["prose"] - 0.01, (nav_page, sizes)
    return len(sizes["cells"])


def says_what_ci_proves(page: Page, guide: Guide, nav_page: NavPage) -> None:
    """The line at the page's foot says what CI proves about it, and each block has its
    mark: the same numbers and classes as the coverage report the doc-tests write
    (guidetools.coverage, guidetools.verification)."""
    records = list(page_checks(guide, guide.root / "docs" / nav_page.source).records)
    line = page.locator(f"article .{CSS_CLASS}")
    expect(line).to_have_count(1)
    expect(line).to_be_visible()
    _check_line(line.inner_text(), records)
    marks = page.locator("article [data-doc-check]")
    shown = sorted(marks.evaluate_all("els => els.map(e => e.dataset.docCheck)"))
    assert shown == sorted(MARKS[r.kind][0] for r in records if r.kind in MARKS), nav_page


def _check_line(shown: str, records: list[BlockRecord]) -> None:
    assert shown == text(sentence(records))
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
