"""How the pages lay out at a desktop width, on both builds: counter-examples keep their
flags in sight, inline code never breaks at a hyphen, code in tables is as large as
code in the text, and tables take the column's width. Hyphenated words on every page,
at a desktop's and a phone's width, are checked in the walk through the nav
(test_browser_pages.py)."""

from __future__ import annotations

from pathlib import Path

import pytest
from nav_walk import DESKTOP
from playwright.sync_api import Page
from site_pages import built_page, page_urls


@pytest.fixture
def desktop(page: Page) -> Page:
    page.set_viewport_size(DESKTOP)
    return page


def _pages_with(site: Path, marker: str) -> list[str]:
    found = [url for url in page_urls(site) if marker in built_page(site, url)]
    assert found, f"no built page has {marker!r}"
    return found


def test_counter_examples_keep_every_flag_in_sight(desktop: Page, site: Path) -> None:
    """Nothing of a counter-example's command lies beyond the right edge of its block,
    where a reader would have to scroll to find the flag the page is about."""
    for url in _pages_with(site, "counter-example"):
        desktop.goto(url)
        blocks = desktop.locator("article div.counter-example pre > code")
        assert blocks.count() > 0, url
        for index in range(blocks.count()):
            code = blocks.nth(index)
            overflow = code.evaluate(
                """code => {
                    const range = document.createRange();
                    range.selectNodeContents(code);
                    const right = Math.max(...[...range.getClientRects()].map(r => r.right));
                    return {right, edge: code.getBoundingClientRect().right,
                            scroll: code.scrollWidth - code.clientWidth};
                }"""
            )
            assert overflow["scroll"] <= 0, (url, index, overflow)
            assert overflow["right"] <= overflow["edge"] + 1, (url, index, overflow)


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


def test_code_in_tables_is_as_large_as_code_in_the_text(desktop: Page, site: Path) -> None:
    """Material shrinks table text; code in a table cell must not shrink below code in a
    paragraph, nor below 80% of the body text."""
    for url in _pages_with(site, "<td><code>"):
        desktop.goto(url)
        sizes = desktop.evaluate(
            """() => {
                const size = el => parseFloat(getComputedStyle(el).fontSize);
                const body = document.querySelector("article > p, article p");
                const prose = document.querySelector("article p > code");
                return {
                    body: size(body),
                    prose: prose ? size(prose) : null,
                    cells: [...document.querySelectorAll("article td code")].map(size),
                };
            }"""
        )
        assert sizes["cells"], url
        smallest = min(sizes["cells"])
        assert smallest >= 0.8 * sizes["body"], (url, sizes)
        if sizes["prose"] is not None:
            assert smallest >= sizes["prose"] - 0.01, (url, sizes)


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
