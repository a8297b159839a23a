"""A real headless Chromium (Debian's headless shell, driven by Playwright) on the site
served on loopback.

Every browser test runs on both builds of the guide, MkDocs' and Zensical's (`builder`,
`site`), one after the other. One browser per session; each test gets a fresh context,
so storage, permissions and the colour scheme never leak between tests.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from bench.chromium import FLAGS, HEADLESS_SHELL, missing
from bench.site_server import serve
from playwright.sync_api import Browser, Page, sync_playwright

from guidetools.builders import BUILDERS

REPO = Path(__file__).resolve().parents[2]
ARTIFACT_DIR = REPO / "test-artifacts"


@pytest.fixture(scope="session", params=BUILDERS)
def builder(request: pytest.FixtureRequest) -> str:
    """The builder of the site under test: `mkdocs` (the reference), then `zensical`."""
    name: str = request.param
    return name


@pytest.fixture(scope="session")
def site(builder: str, request: pytest.FixtureRequest) -> Path:
    """The session's build of the guide by `builder`."""
    built: Path = request.getfixturevalue(
        {"mkdocs": "built_site", "zensical": "built_zensical_site"}[builder]
    )
    return built


@pytest.fixture(scope="session")
def site_url(site: Path) -> Iterator[str]:
    with serve(site) as url:
        yield url


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not HEADLESS_SHELL.exists():
        pytest.skip(missing(HEADLESS_SHELL, "chromium-headless-shell", "make test"))
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(HEADLESS_SHELL), headless=True, args=FLAGS
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser: Browser, site_url: str) -> Iterator[Page]:
    context = browser.new_context(
        base_url=site_url,
        color_scheme="light",
        permissions=["clipboard-read", "clipboard-write"],
    )
    yield context.new_page()
    context.close()


@pytest.fixture
def console_errors(page: Page) -> list[str]:
    """Console errors and uncaught exceptions of `page`, recorded from its first load."""
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    return errors


@pytest.fixture(scope="session")
def artifacts() -> Path:
    """Where screenshots go for a human to look at (gitignored, kept after the run)."""
    ARTIFACT_DIR.mkdir(exist_ok=True)
    return ARTIFACT_DIR
