"""Every internal link and anchor of both builds resolves (site_links.check)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from site_links import check

from guidetools.builders import BUILDERS


@pytest.mark.parametrize("builder", BUILDERS)
def test_every_internal_link_and_anchor_resolves(
    builder: str, request: pytest.FixtureRequest
) -> None:
    site: Path = request.getfixturevalue(
        {"mkdocs": "built_site", "zensical": "built_zensical_site"}[builder]
    )
    broken, checked = check(site)
    assert not broken, "\n".join(map(str, broken))
    # The crawl reached the pages: every page links the others through the nav.
    assert checked > 100


def test_a_missing_page_file_and_anchor_are_each_reported(tmp_path: Path) -> None:
    site = tmp_path / "site"
    (site / "page").mkdir(parents=True)
    (site / "index.html").write_text(
        '<a href="page/#present">ok</a>\n<a href="page/#absent">bad anchor</a>\n'
        '<a href="gone/">bad page</a>\n<link href="style.css">\n'
        '<a href="https://example.com/elsewhere">external</a>',
        encoding="utf-8",
    )
    (site / "page" / "index.html").write_text(
        '<h2 id="present">Present</h2><a href="../#top">up</a><a href="./#present">self</a>',
        encoding="utf-8",
    )
    broken, checked = check(site)
    assert sorted(map(str, broken)) == [
        "/:2: page/#absent: no anchor `absent` there",
        "/:3: gone/: no such page or file",
        "/:4: style.css: no such page or file",
        "/page/:1: ../#top: no anchor `top` there",
    ]
    assert checked == 6  # the external link is not checked


def test_the_guide_with_a_contract_anchor_removed_fails(built_site: Path, tmp_path: Path) -> None:
    site = shutil.copytree(built_site, tmp_path / "site")
    contract = site / "reference" / "contract" / "index.html"
    text = contract.read_text(encoding="utf-8")
    cited = 'id="cli-redeploy-use-cache"'
    assert cited in text
    contract.write_text(text.replace(cited, 'id="renamed"'), encoding="utf-8")
    broken, _ = check(site)
    assert broken and all("cli-redeploy-use-cache" in b.link for b in broken)
