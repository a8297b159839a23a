"""The platform contract's markers, as a reader sees them: readable in both colour schemes."""

from __future__ import annotations

import re

import pytest
from colours import contrast, luminance
from playwright.sync_api import Page

KINDS = ("inference", "unconfirmed", "assumption")


def _rgb(css: str) -> tuple[float, float, float]:
    match = re.fullmatch(r"rgba?\(([\d.]+), ([\d.]+), ([\d.]+)(?:, ([\d.]+))?\)", css)
    assert match, css
    assert match[4] is None or float(match[4]) == 1, f"a marker's colours are opaque: {css}"
    return float(match[1]), float(match[2]), float(match[3])


def css_contrast(foreground: str, background: str) -> float:
    """WCAG contrast ratio of two opaque CSS colours."""
    return contrast(_rgb(foreground), _rgb(background))


def test_contrast_of_known_colours() -> None:
    assert css_contrast("rgb(0, 0, 0)", "rgb(255, 255, 255)") == pytest.approx(21)
    assert css_contrast("rgb(119, 119, 119)", "rgb(255, 255, 255)") == pytest.approx(4.48, abs=0.01)


def test_markers_are_readable_in_both_colour_schemes(page: Page) -> None:
    """The page loads once and the scheme is switched on it, as its toggle does."""
    page.goto("reference/contract/")
    for scheme in ("default", "slate"):
        page.evaluate(f"document.body.setAttribute('data-md-color-scheme', '{scheme}')")
        page_background = page.evaluate("getComputedStyle(document.body).backgroundColor")
        for kind in KINDS:
            mark = page.locator(f"article abbr.contract-mark--{kind}").first
            assert mark.is_visible(), kind
            colour, background, title = mark.evaluate(
                "el => [getComputedStyle(el).color, getComputedStyle(el).backgroundColor, el.title]"
            )
            assert css_contrast(colour, background) >= 4.5, (scheme, kind, colour, background)
            # The badge stands out from the page, keeps to the scheme (light on light, dark
            # on dark), and says what it means on hover.
            assert background != page_background, (scheme, kind)
            dark_page = luminance(_rgb(page_background)) < 0.2
            assert (luminance(_rgb(background)) < 0.2) == dark_page, (scheme, kind, background)
            assert title, kind
