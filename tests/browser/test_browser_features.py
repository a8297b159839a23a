"""The theme's features as a reader uses them, on both builds: search, linked tabs,
copy buttons, the palette."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from bench.site_server import serve
from playwright.sync_api import Browser, Locator, Page, expect
from site_pages import MANUAL_METHODS, article_text, built_page, page_urls, tab_sets


def _material_results(page: Page, pages: int) -> list[str]:
    """Material: one result per page ("N matching documents"), ten rendered at a time,
    the next ten when the list is scrolled to its end."""
    expect(page.locator(".md-search-result__meta")).to_have_text(f"{pages} matching documents")
    items = page.locator(".md-search-result__list > .md-search-result__item")
    while (shown := items.count()) < pages:
        page.locator(".md-search__scrollwrap").evaluate("el => el.scrollTo(0, el.scrollHeight)")
        expect(items).not_to_have_count(shown)
    links = page.locator(".md-search-result__item > a.md-search-result__link")
    return list(links.evaluate_all("links => links.map(link => link.href)"))


def _zensical_results(page: Page, pages: int) -> list[str]:
    """Zensical: one result per section, in a dialog inside an open shadow root (which
    Playwright's locators pierce), with minified class names, so found by ARIA: a live
    status "N results" and the results as options, more rendered on scrolling."""
    status = page.get_by_role("status").filter(has_text=re.compile(r"^\d+ results?$"))
    expect(status).to_be_visible()
    items = page.get_by_role("option")

    def total() -> int:
        return int(status.inner_text().split()[0])

    # The search runs as each key arrives, so the status can still count a shorter
    # prefix's results ("CACHE" finds 89 sections, "CACHEBUST" 73: a run once read 89 and
    # waited for rows that never came). The total is read again after each scroll; a
    # scroll that renders nothing fails only while the total stands.
    while (shown := items.count()) < (expected_total := total()):
        items.last.scroll_into_view_if_needed()
        try:
            expect(items).not_to_have_count(shown)
        except AssertionError:
            if total() == expected_total:
                raise
    assert shown >= pages, f"{shown} sections found, fewer than the {pages} pages"
    return list(items.evaluate_all("links => links.map(link => link.href)"))


#: How each builder's search lists its results: (page, pages expected) -> result links.
SEARCH_RESULTS: dict[str, Callable[[Page, int], list[str]]] = {
    "mkdocs": _material_results,
    "zensical": _zensical_results,
}


def test_search_lists_every_page_that_mentions_cachebust(
    page: Page, site: Path, site_url: str, builder: str
) -> None:
    term = "CACHEBUST"
    # Both themes' search ignores case, and so does a reader's expectation.
    expected = {
        url
        for url in page_urls(site)
        if term.lower() in article_text(built_page(site, url)).lower()
    }
    assert expected, f"no built page mentions {term}"

    page.goto("./")
    # "/" focuses the search box in both themes. Typed keys, since both listen to key
    # events (fill() would set the value unnoticed).
    page.keyboard.press("/")
    expect(page.locator("input[aria-label='Search']:focus")).to_be_visible()
    page.keyboard.type(term)
    hrefs = SEARCH_RESULTS[builder](page, len(expected))
    root = urlsplit(site_url).path
    assert {urlsplit(href).path.removeprefix(root) for href in hrefs} == expected


def test_manual_methods_tabs_switch(page: Page) -> None:
    page.goto(MANUAL_METHODS)
    tabs = page.locator(".tabbed-set").first
    labels = tabs.locator(":scope > .tabbed-labels > label")
    blocks = tabs.locator(":scope > .tabbed-content > .tabbed-block")
    count = labels.count()
    assert count > 1, "the manual-methods page should offer its methods as content tabs"
    for chosen in [*range(1, count), 0]:
        labels.nth(chosen).click()
        for index in range(count):
            if index == chosen:
                expect(blocks.nth(index)).to_be_visible()
            else:
                expect(blocks.nth(index)).to_be_hidden()


def _linked_label(site: Path) -> tuple[str, str]:
    """A tab label that is not the default on the manual-methods page nor on another page.

    Only a change of tab is stored and followed, so neither may be selected already.
    """
    for label in (
        label for labels in tab_sets(built_page(site, MANUAL_METHODS)) for label in labels[1:]
    ):
        for url in page_urls(site):
            if url != MANUAL_METHODS and any(
                label in labels[1:] for labels in tab_sets(built_page(site, url))
            ):
                return label, url
    pytest.fail("no non-default tab label of the manual-methods page is one on another page")


def _inputs_of(page: Page, label: str) -> list[Locator]:
    """The radio input behind every tab labelled `label` on the page."""
    labels = page.locator(".tabbed-labels > label").filter(
        has_text=re.compile(rf"^\s*{re.escape(label)}\s*$")
    )
    return [
        page.locator(f"[id='{for_id}']")
        for for_id in labels.evaluate_all("ls => ls.map(l => l.htmlFor)")
    ]


def test_selected_tab_follows_to_other_pages(page: Page, site: Path) -> None:
    label, other = _linked_label(site)
    page.goto(MANUAL_METHODS)
    chosen = _inputs_of(page, label)
    page.locator(f"label[for='{chosen[0].get_attribute('id')}']").click()
    for radio in chosen:
        expect(radio).to_be_checked()

    page.goto(other)
    linked = _inputs_of(page, label)
    assert linked, f"{other} has no tab labelled {label!r}"
    for radio in linked:
        expect(radio).to_be_checked()


def _reveal(block: Locator) -> None:
    """Select the content tab(s) a code block sits in, so a reader could see it."""
    block.evaluate(
        """block => {
            for (let el = block; el; el = el.parentElement) {
                if (!el.classList.contains("tabbed-block")) continue;
                const index = [...el.parentElement.children].indexOf(el);
                const set = el.closest(".tabbed-set");
                set.querySelectorAll(":scope > .tabbed-labels > label")[index].click();
            }
        }"""
    )


#: The command whose copy button the copy tests click, on the manual-methods page.
REBUILD = "cachebust rebuild"


def _copied(page: Page, command: str) -> str:
    """What the copy button of the first console block running `command` copies."""
    page.goto(MANUAL_METHODS)
    page.evaluate("text => navigator.clipboard.writeText(text)", "clipboard before the click")
    block = (
        page.locator("div.language-console")
        .filter(has_text=re.compile(rf"(^|\n)\$ {re.escape(command)}(\n|$)"))
        .first
    )
    _reveal(block)
    block.hover()
    block.locator("button.md-code__button[data-md-type=copy]").click()
    page.wait_for_function(
        "async () => (await navigator.clipboard.readText()) !== 'clipboard before the click'"
    )
    copied: str = page.evaluate("navigator.clipboard.readText()")
    return copied


def test_copy_button_copies_only_the_rebuild_command(page: Page) -> None:
    assert _copied(page, REBUILD) == REBUILD


def test_counter_examples_have_no_copy_button(page: Page) -> None:
    """The earlier guide's wrong commands can be read, not pasted (`no-copy`)."""
    page.goto(MANUAL_METHODS)
    counter = page.locator("div.language-console.counter-example")
    expect(counter.first).to_be_attached()
    expect(counter.locator("button[data-md-type=copy]")).to_have_count(0)
    others = page.locator("div.language-console:not(.counter-example)")
    expect(others.locator("button[data-md-type=copy]").first).to_be_attached()


def _without_the_console_formatter(project: Path) -> None:
    """mkdocs.yml with `pymdownx.superfences` as it was before guidetools.console_fence:
    no custom fence, so console blocks are plain highlighted blocks."""
    config = project / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    plain = re.sub(
        r"(?m)^  - pymdownx\.superfences:\n(?:      .*\n)+", "  - pymdownx.superfences\n", text
    )
    assert plain != text and "console_fence" not in plain
    config.write_text(plain, encoding="utf-8")


@pytest.fixture(scope="session")
def url_without_the_console_formatter(
    builder: str, build_site: Callable[..., Path]
) -> Iterator[str]:
    with serve(build_site(builder, _without_the_console_formatter)) as url:
        yield url


def test_without_the_console_formatter_the_copy_test_fails(
    browser: Browser, url_without_the_console_formatter: str
) -> None:
    """Negative control, under each builder: the copy test above fails when the copy
    behaviour is gone (the button copies prompts and output), so its passing is the
    formatter's doing, not the theme's."""
    context = browser.new_context(
        base_url=url_without_the_console_formatter,
        permissions=["clipboard-read", "clipboard-write"],
    )
    try:
        copied = _copied(context.new_page(), REBUILD)
    finally:
        context.close()
    assert copied != REBUILD
    assert copied.startswith(f"$ {REBUILD}\n")


def test_palette_toggle_switches_between_light_and_dark(page: Page) -> None:
    page.goto("./")
    body = page.locator("body")
    toggle = page.locator("form[data-md-component=palette] label.md-header__button:visible")
    expect(body).to_have_attribute("data-md-color-scheme", "default")
    light = body.evaluate("el => getComputedStyle(el).backgroundColor")

    toggle.click()
    expect(body).to_have_attribute("data-md-color-scheme", "slate")
    expect(body).not_to_have_css("background-color", light)

    toggle.click()
    expect(body).to_have_attribute("data-md-color-scheme", "default")
    expect(body).to_have_css("background-color", light)
