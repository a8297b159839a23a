"""How the pages lay out at a desktop width, on both builds: counter-examples keep their
flags in sight, inline code never breaks at a hyphen, code in tables is as large as
code in the text, and tables take the column's width."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page
from site_pages import NavPage, built_page, nav_pages, page_urls

DESKTOP = {"width": 1280, "height": 900}
#: A phone's width: words kept whole must still fit the column there.
PHONE = {"width": 390, "height": 844}


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


def test_hyphenated_words_of_inline_code_stay_whole_and_fit(page: Page, repo_root: Path) -> None:
    """At a desktop width and at a phone's. Each page is loaded once, at the desktop width,
    then narrowed to the phone's (a reflow, as a reader narrowing the window gets): a
    page load costs most of the time here."""
    for nav_page in nav_pages(repo_root / "mkdocs.yml"):
        page.set_viewport_size(DESKTOP)
        page.goto(nav_page.url)
        _assert_words_whole_and_within(page, nav_page, "desktop")
        page.set_viewport_size(PHONE)
        _assert_words_whole_and_within(page, nav_page, "phone")


def _assert_words_whole_and_within(page: Page, nav_page: NavPage, width: str) -> None:
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
