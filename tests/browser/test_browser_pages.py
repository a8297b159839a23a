"""Every page a reader can reach from the navigation opens, cleanly, in Chromium."""

from __future__ import annotations

from pathlib import Path

import pytest
from nav_walk import (
    DESKTOP,
    PHONE,
    code_in_tables_as_large_as_in_text,
    counter_examples_in_sight,
    says_what_ci_proves,
    words_whole_and_within,
)
from playwright.sync_api import Page, expect
from site_pages import MANUAL_METHODS, built_page, nav_pages

from guidetools.guide import Guide


def test_home_page_loads_without_console_errors(page: Page, console_errors: list[str]) -> None:
    response = page.goto("./")
    assert response is not None and response.status == 200
    # Idle network: the search worker and its index have loaded too, and could have failed.
    page.wait_for_load_state("networkidle")
    expect(page.locator("article h1")).to_be_visible()
    assert console_errors == []


def test_every_nav_link_opens_its_page_whole_and_saying_what_ci_proves(
    page: Page, console_errors: list[str], site: Path, site_url: str, repo_root: Path
) -> None:
    """One walk through the nav as a reader clicks it, each link from the page before.
    On each page: it opened cleanly; its foot says what CI proves about it and each block
    has its mark; at a desktop width, counter-examples keep every flag in sight and code
    in tables is as large as code in the text; inline code keeps its hyphenated words
    whole and within the column at that width, then narrowed to a phone's (a reflow, as a
    reader narrowing the window gets). One walk for all of these: a page load costs most
    of the time here."""
    pages = nav_pages(repo_root / "mkdocs.yml")
    assert len(pages) > 10
    guide = Guide(repo_root)
    counter_examples = cells = 0
    try:
        page.set_viewport_size(DESKTOP)
        page.goto("./")
        for nav_page in pages:
            link = page.locator("nav.md-nav--primary").get_by_role(
                "link", name=nav_page.title, exact=True
            )
            target = site_url + nav_page.url
            with page.expect_response(lambda response, url=target: response.url == url) as response:
                link.click()
            assert response.value.status == 200, nav_page
            expect(page).to_have_url(target)
            active = page.locator("nav.md-nav--primary a.md-nav__link--active")
            expect(active).to_have_text(nav_page.title)
            expect(page.locator("article h1")).to_be_visible()
            assert console_errors == [], nav_page
            says_what_ci_proves(page, guide, nav_page)
            # Checked in the page as shown wherever the built page has them.
            built = built_page(site, nav_page.url)
            found = counter_examples_in_sight(page, nav_page)
            assert (found > 0) == ("counter-example" in built), (nav_page, found)
            counter_examples += found
            found = code_in_tables_as_large_as_in_text(page, nav_page)
            assert (found > 0) == ("<td><code>" in built), (nav_page, found)
            cells += found
            words_whole_and_within(page, nav_page, "desktop")
            page.set_viewport_size(PHONE)
            words_whole_and_within(page, nav_page, "phone")
            page.set_viewport_size(DESKTOP)
    finally:
        guide.close()
    # The guide has both: a walk that found none would have checked nothing.
    assert counter_examples > 0 and cells > 0, (counter_examples, cells)


@pytest.mark.parametrize(("url", "name"), [("./", "home"), (MANUAL_METHODS, "manual-methods")])
def test_full_page_screenshot(
    page: Page, artifacts: Path, url: str, name: str, builder: str
) -> None:
    page.goto(url)
    page.wait_for_load_state("networkidle")
    shot = artifacts / f"{name}-{builder}.png"
    page.screenshot(path=shot, full_page=True)
    assert shot.read_bytes().startswith(b"\x89PNG")
