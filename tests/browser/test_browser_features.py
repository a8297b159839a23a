"""Material's features as a reader uses them: search, linked tabs, copy buttons, the palette."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Locator, Page, expect
from site_pages import MANUAL_METHODS, article_text, built_page, page_urls, tab_sets


def test_search_lists_every_page_that_mentions_cachebust(
    page: Page, built_site: Path, site_url: str
) -> None:
    term = "CACHEBUST"
    # Material's search ignores case, and so does a reader's expectation.
    expected = {
        url
        for url in page_urls(built_site)
        if term.lower() in article_text(built_page(built_site, url)).lower()
    }
    assert expected, f"no built page mentions {term}"

    page.goto("./")
    search = page.locator("input.md-search__input")
    search.click()
    # Material's search listens to key events; fill() would set the value unnoticed.
    search.press_sequentially(term)
    expect(page.locator(".md-search-result__meta")).to_have_text(
        f"{len(expected)} matching documents"
    )
    # Results render ten at a time; scrolling the list renders the next ones.
    items = page.locator(".md-search-result__list > .md-search-result__item")
    while (shown := items.count()) < len(expected):
        page.locator(".md-search__scrollwrap").evaluate("el => el.scrollTo(0, el.scrollHeight)")
        expect(items).not_to_have_count(shown)
    hrefs = page.locator(".md-search-result__item > a.md-search-result__link").evaluate_all(
        "links => links.map(link => link.href)"
    )
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


def test_selected_tab_follows_to_other_pages(page: Page, built_site: Path) -> None:
    label, other = _linked_label(built_site)
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


def test_copy_button_copies_only_the_rebuild_command(page: Page) -> None:
    command = "cachebust rebuild"
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
    assert page.evaluate("navigator.clipboard.readText()") == command


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
