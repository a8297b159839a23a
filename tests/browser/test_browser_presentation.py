"""How the pages lay out at a desktop width, on both builds: inline code never breaks at
a hyphen, and tables take the column's width. What is checked on every page
(counter-examples keep their flags in sight, code in tables is as large as code in the
text, hyphenated words at a desktop's and a phone's width) is checked in the walk
through the nav (test_browser_pages.py)."""

from __future__ import annotations

import pytest
from nav_walk import DESKTOP
from playwright.sync_api import Page


@pytest.fixture
def desktop(page: Page) -> Page:
    page.set_viewport_size(DESKTOP)
    return page


def test_a_flag_in_inline_code_never_breaks_at_its_hyphen(desktop: Page) -> None:
    """`--use-cache` in a paragraph: narrowed a few pixels at a time, so that the code
    falls at the end of a line at some width, it stays one box (one client rect)."""
    desktop.goto("how-to/manual/")
    flag = desktop.locator("article :is(p, li) > code").filter(has_text="--use-cache").first
    split = flag.evaluate(
        """code => {
            if (code.textContent !== "--use-cache") return ["not the flag alone"];
            const block = code.parentElement;
            const broken = [];
            for (let width = 120; width <= 700; width += 3) {
                block.style.width = width + "px";
                if (code.getClientRects().length !== 1) broken.push(width);
            }
            block.style.width = "";
            return broken;
        }"""
    )
    assert split == [], f"--use-cache breaks over two lines at widths {split}"


def test_the_hyphenated_words_are_marked_on_both_builds(desktop: Page) -> None:
    desktop.goto("how-to/manual/")
    words = desktop.locator("article code .cb-nobreak").all_text_contents()
    assert "--use-cache" in words and "--skip-cache" in words, words
    # The text is unchanged: the code reads as it did.
    assert desktop.locator("article code").filter(has_text="--use-cache").count() > 0


def test_home_page_tables_span_the_column(desktop: Page) -> None:
    """The task table takes the column's width instead of sitting half-width above an
    empty area."""
    desktop.goto("./")
    widths = desktop.evaluate(
        """() => ({
            column: document.querySelector("article").getBoundingClientRect().width,
            tables: [...document.querySelectorAll("article table")]
                .map(t => t.getBoundingClientRect().width),
        })"""
    )
    assert len(widths["tables"]) >= 2, widths
    for width in widths["tables"]:
        assert width >= 0.95 * widths["column"], widths
