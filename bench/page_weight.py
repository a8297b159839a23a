"""What Chromium downloads to show the home page: HTML, CSS, JS and fonts.

Two figures: the bytes of those responses as the page uses them, and as they cross
the wire from a server that gzips text (bench.site_server). The search index that
Material fetches afterwards is data, not page weight, and is left out.
"""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Request, sync_playwright

from bench.chromium import FLAGS, require
from bench.report import line
from bench.site_server import serve
from bench.sites import Sites

COUNTED = {"document", "stylesheet", "script", "font"}


def _weigh(site: Path) -> tuple[int, int]:
    """Decoded and transferred bytes of the home page's HTML, CSS, JS and fonts."""
    finished: list[Request] = []
    with serve(site) as url, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(require()), args=FLAGS)
        page = browser.new_page()
        page.on("requestfinished", lambda request: finished.append(request))
        page.goto(url)
        page.wait_for_load_state("networkidle")
        counted = [request for request in finished if request.resource_type in COUNTED]
        decoded = sum(len(response.body()) for r in counted if (response := r.response()))
        transferred = sum(r.sizes()["responseBodySize"] for r in counted)
        browser.close()
    return decoded, transferred


def run(sites: Sites) -> list[str]:
    decoded, transferred = _weigh(sites.guide)
    base_decoded, base_transferred = _weigh(sites.baseline)
    against = "the Material-only home page"
    return [
        line(
            "home page weight (HTML+CSS+JS+fonts)",
            decoded / 1000,
            base_decoded / 1000,
            unit=" KB",
            fmt=".1f",
            against=against,
        ),
        line(
            "home page weight gzipped on the wire",
            transferred / 1000,
            base_transferred / 1000,
            unit=" KB",
            fmt=".1f",
            against=against,
        ),
    ]
