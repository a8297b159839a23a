"""Each block's mark explains itself. That every page shows, at its foot, what CI proves
about it, and each block its mark, is checked in the walk through the nav
(test_browser_pages.py, nav_walk.says_what_ci_proves)."""

from __future__ import annotations

from playwright.sync_api import Page


def test_hovering_a_block_explains_its_mark(page: Page) -> None:
    page.goto("./")
    block = page.locator("article [data-doc-check]").first
    block.scroll_into_view_if_needed()
    before = block.evaluate("el => getComputedStyle(el, '::after').content")
    block.hover()
    after = block.evaluate("el => getComputedStyle(el, '::after').content")
    assert "CI: " in before and before != after
    assert block.get_attribute("data-doc-check-detail") in after
