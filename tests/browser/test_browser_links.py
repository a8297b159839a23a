"""Every internal link and anchor of the built site resolves, checked by LinkChecker.

LinkChecker crawls the site as served on loopback, from the home page, following
internal links only; its AnchorCheck plugin reports a `#fragment` missing from its
target page as a warning, and a warning fails the run (exit status 1).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from bench.site_server import serve

LINKCHECKER = Path(sys.executable).with_name("linkchecker")

# The loopback server answers with a `LinkChecker` header, LinkChecker's opt-in for
# requests beyond 10 a second; external links are listed, not fetched (no network here).
CONFIG = """\
[checking]
threads=4
maxrequestspersecond=1000
[filtering]
checkextern=0
[AnchorCheck]
"""


def check_links(url: str, workdir: Path) -> subprocess.CompletedProcess[str]:
    config = workdir / "linkcheckerrc"
    config.write_text(CONFIG, encoding="utf-8")
    return subprocess.run(
        [str(LINKCHECKER), "--config", str(config), "--no-status", "--output", "text", url],
        capture_output=True,
        text=True,
        check=False,
    )


def test_every_internal_link_and_anchor_resolves(site_url: str, tmp_path: Path) -> None:
    result = check_links(site_url, tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 warnings found" in result.stdout and "0 errors found" in result.stdout


def test_link_check_catches_a_missing_page_and_a_missing_anchor(tmp_path: Path) -> None:
    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text(
        '<a href="page.html#present">ok</a> <a href="page.html#absent">bad anchor</a>'
        ' <a href="gone.html">bad page</a>',
        encoding="utf-8",
    )
    (site / "page.html").write_text('<h2 id="present">Present</h2>', encoding="utf-8")
    with serve(site) as url:
        result = check_links(url, tmp_path)
    assert result.returncode == 1
    assert "Anchor `absent'" in result.stdout
    assert "gone.html" in result.stdout
    assert "Anchor `present'" not in result.stdout
