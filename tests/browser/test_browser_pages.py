"""Every page a reader can reach from the navigation opens, cleanly, in Chromium."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from site_pages import MANUAL_METHODS, NavPage


def test_home_page_loads_without_console_errors(page: Page, console_errors: list[str]) -> None:
    response = page.goto("./")
    assert response is not None and response.status == 200
    # Idle network: the search worker and its index have loaded too, and could have failed.
    page.wait_for_load_state("networkidle")
    expect(page.locator("article h1")).to_be_visible()
    assert console_errors == []


def test_nav_link_opens_its_page(
    page: Page, console_errors: list[str], site_url: str, nav_page: NavPage
) -> None:
    page.goto("./")
    link = page.locator("nav.md-nav--primary").get_by_role("link", name=nav_page.title, exact=True)
    target = site_url + nav_page.url
    with page.expect_response(lambda response: response.url == target) as response:
        link.click()
    assert response.value.status == 200
    expect(page).to_have_url(target)
    expect(page.locator("nav.md-nav--primary a.md-nav__link--active")).to_have_text(nav_page.title)
    expect(page.locator("article h1")).to_be_visible()
    assert console_errors == []


@pytest.mark.parametrize(("url", "name"), [("./", "home"), (MANUAL_METHODS, "manual-methods")])
def test_full_page_screenshot(
    page: Page, artifacts: Path, url: str, name: str, builder: str
) -> None:
    page.goto(url)
    page.wait_for_load_state("networkidle")
    shot = artifacts / f"{name}-{builder}.png"
    page.screenshot(path=shot, full_page=True)
    assert shot.read_bytes().startswith(b"\x89PNG")
