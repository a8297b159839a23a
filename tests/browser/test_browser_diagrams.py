"""The two diagrams (guidetools.diagrams) as a reader sees them, on both builds: drawn,
named for assistive technology, with the configured values in their text, readable in
both colour schemes, and with nothing fetched from another host."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from colours import contrast, luminance
from playwright.sync_api import Locator, Page, expect

from cachebust._config import Settings, load
from guidetools.diagrams import layer_steps, workflow_branch

REPO = Path(__file__).resolve().parents[2]
#: (page, figure id): where each diagram sits.
DIAGRAMS = {
    "deployment-path": ("explanation/architecture/", "deployment-path-diagram"),
    "image-layers": ("explanation/how-it-works/", "image-layers-diagram"),
}


@pytest.fixture(scope="module")
def settings() -> Settings:
    return load(REPO)


def expected_labels(name: str, settings: Settings) -> list[str]:
    """Words each diagram must show, from [tool.cachebust], the Dockerfile and the workflow."""
    if name == "deployment-path":
        return [
            settings.target,
            settings.dockerfile,
            f"branch {workflow_branch(REPO)}",
            "use_cache: false",
            "HEALTHY",
            "Build cache",
        ]
    steps, bust, _ = layer_steps(settings)
    return [
        settings.dockerfile,
        f"new {settings.build_arg} value",
        f"ARG {settings.build_arg}={settings.build_arg_default}",
        *(f"{step.line}  {step.kind}" for step in steps if step is not bust),
        "reused",
        "rebuilt",
    ]


def _rgba(css: str) -> tuple[float, float, float, float]:
    match = re.fullmatch(r"rgba?\(([\d.]+), ([\d.]+), ([\d.]+)(?:, ([\d.]+))?\)", css)
    assert match, f"not an rgb() colour: {css}"
    alpha = 1.0 if match[4] is None else float(match[4])
    return float(match[1]), float(match[2]), float(match[3]), alpha


def _over(top: str, below: tuple[float, float, float]) -> tuple[float, float, float]:
    """`top` painted over the opaque colour `below`."""
    r, g, b, a = _rgba(top)
    return (r * a + below[0] * (1 - a), g * a + below[1] * (1 - a), b * a + below[2] * (1 - a))


def test_contrast_over_a_background() -> None:
    white = (255.0, 255.0, 255.0)
    assert contrast(_over("rgba(0, 0, 0, 0.87)", white), white) == pytest.approx(16.1, abs=0.1)
    assert contrast(_over("rgba(0, 0, 0, 0)", white), white) == pytest.approx(1)


def _text_and_background(figure: Locator) -> list[tuple[str, str, str]]:
    """(text, its fill, the fill of the box it sits in or "" for the page) of each text."""
    pairs: list[tuple[str, str, str]] = figure.locator("svg text").evaluate_all(
        """texts => texts.map(t => {
            const box = t.closest("g.cb-diagram__node");
            const rect = box && box.querySelector(":scope > rect");
            const fill = rect ? getComputedStyle(rect).fill : "none";
            return [t.textContent, getComputedStyle(t).fill, fill === "none" ? "" : fill];
        })"""
    )
    return pairs


@pytest.mark.parametrize("name", list(DIAGRAMS))
def test_diagram_renders_readably(page: Page, site_url: str, settings: Settings, name: str) -> None:
    """Drawn, fitting the column, named, showing its labels, and readable in both colour
    schemes: the page loads once and the scheme is switched on it, as its toggle does."""
    url, figure_id = DIAGRAMS[name]
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto(url)
    page.wait_for_load_state("networkidle")

    figure = page.locator(f"figure#{figure_id}")
    svg = figure.locator("svg")
    expect(svg).to_be_visible()
    box = svg.bounding_box()
    assert box is not None and box["width"] > 300 and box["height"] > 100, box
    # It fits the content column: nothing cut off at the right.
    column = page.locator("article").bounding_box()
    assert column is not None and box["x"] + box["width"] <= column["x"] + column["width"] + 1

    # Named for assistive technology: role img, labelled by its title and description.
    assert svg.get_attribute("role") == "img"
    title = svg.locator("title").text_content() or ""
    description = svg.locator("desc").text_content() or ""
    assert settings.target in title or settings.dockerfile in title, title
    assert len(description) > 100, description
    expect(page.get_by_role("img", name=title)).to_be_visible()

    shown = " ".join(svg.locator("text").all_text_contents())
    for label in expected_labels(name, settings):
        assert label in shown, f"{label!r} is not in the diagram: {shown}"

    for scheme in ("default", "slate"):
        page.evaluate(f"document.body.setAttribute('data-md-color-scheme', '{scheme}')")
        body = page.evaluate("getComputedStyle(document.body).backgroundColor")
        page_rgb = _over(body, (0, 0, 0))
        for text, colour, background in _text_and_background(figure):
            under = _over(background, page_rgb) if background else page_rgb
            ratio = contrast(_over(colour, under), under)
            assert ratio >= 4.5, (scheme, text, colour, background, ratio)

    # Drawn here: nothing came from another host (no CDN, no font service).
    assert all(request.startswith(site_url) for request in requested), requested


def test_diagram_boxes_follow_the_colour_scheme(page: Page) -> None:
    """The same box is light on the light scheme and dark on the dark one."""
    url, figure_id = DIAGRAMS["image-layers"]
    page.goto(url)
    rect = page.locator(f"#{figure_id} g.cb-diagram__node--rebuilt > rect").first
    fills = {}
    for scheme in ("default", "slate"):
        page.evaluate(f"document.body.setAttribute('data-md-color-scheme', '{scheme}')")
        fills[scheme] = luminance(_over(rect.evaluate("r => getComputedStyle(r).fill"), (0, 0, 0)))
    assert fills["default"] > 0.5 > 0.1 > fills["slate"], fills
