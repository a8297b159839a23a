"""The built guide and its platform contract: the contract page has every entry and
assumption under its anchor; every other page reaches an entry only through a citation,
which shows the entry's marker when no source states it; the --docker-args correction
rests on `setSource`; the status table lists all 16 statuses with what each tool does."""

from __future__ import annotations

import os
import posixpath
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from site_html import Link, links, page, pages, text

from cachebust._errors import ExitCode
from cachebust._models import FAILURE, SUCCESS
from guidetools.builders import copy_tree
from guidetools.contract import Contract, load
from guidetools.contract_markdown import marker

CONTRACT = "reference/contract.md"
#: What a copy of the project needs to build the site.
COPIED = (
    *("mkdocs.yml", "pyproject.toml", "docs", "backend", "runbooks", ".github/workflows"),
    *("action.yml", "examples"),
)


@pytest.fixture(scope="module")
def contract() -> Contract:
    return load()


def _anchor(link: Link, where: str) -> str | None:
    """The entry or assumption anchor a link points at, if it points into the contract
    page; `where` is the linking page's directory in the site (`how-to/manual`)."""
    path, _, fragment = link.href.partition("#")
    if "://" in path:
        return None
    target = posixpath.normpath(posixpath.join(where, path)) if path else where
    found = re.fullmatch(r"(?:api|cli|assume)-[a-z0-9]+(?:-[a-z0-9]+)*", fragment)
    return fragment if found and target == "reference/contract" else None


def _where(site: Path, path: Path) -> str:
    return path.parent.relative_to(site).as_posix()


def test_the_contract_page_is_in_the_reference_section(repo_root: Path, built_site: Path) -> None:
    config = yaml.load((repo_root / "mkdocs.yml").read_text(), Loader=yaml.BaseLoader)
    reference = next(item["Reference"] for item in config["nav"] if "Reference" in item)
    assert {"Platform contract": CONTRACT} in reference
    assert (built_site / "reference/contract/index.html").is_file()


def test_every_entry_and_assumption_has_its_anchor_and_its_text(
    built_site: Path, contract: Contract
) -> None:
    html = page(built_site, CONTRACT)
    for entry in contract.entries:
        block = re.search(
            rf'<div class="contract-entry" id="{entry.anchor}">(.*?)</div>', html, re.DOTALL
        )
        assert block, entry.anchor
        shown = " ".join(text(block[1]).split())
        assert entry.title.replace("`", "") in shown, entry.anchor
        assert " ".join(entry.says.split()).replace("`", "")[:60] in shown, entry.anchor
        if entry.status != "confirmed":
            assert "What would confirm it:" in shown, entry.anchor
    for assumption in contract.assumptions:
        assert f'<div class="contract-entry" id="{assumption.anchor}">' in html


def test_the_contract_page_names_its_sources_and_how_to_check_them(
    built_site: Path, contract: Contract
) -> None:
    shown = " ".join(text(page(built_site, CONTRACT)).split())
    doc = contract.document
    assert f"info.version {doc.openapi_version}" in shown
    assert f"commit {doc.cli_commit[:8]} ({doc.cli_release})" in shown
    for said in (
        "scripts/koyeb-cli-table",
        "src/cachebust/data/koyeb-cli.json",
        "cachebust contract --redeploy",
        ".github/workflows/contract.yml",
        "cachebust fake-api --assumption NAME=VALUE",
        "cachebust fake-api --list-assumptions",
    ):
        assert said in shown, said


def test_pages_reach_entries_only_through_citations(built_site: Path) -> None:
    """A link to an entry that is not a citation (class contract-ref) would show no marker;
    on the contract page itself, an entry's own anchor link is `contract-self`."""
    stray = []
    for path in pages(built_site):
        where = _where(built_site, path)
        for link in links(path.read_text(encoding="utf-8")):
            anchor = _anchor(link, where)
            own = where == "reference/contract" and link.href.startswith("#")
            allowed = {"contract-ref", "contract-self"} if own else {"contract-ref"}
            if anchor and not link.classes & allowed:
                stray.append(f"{path.relative_to(built_site)}: {link.href}")
    assert stray == []


def test_every_citation_shows_the_marker_of_what_it_cites(
    built_site: Path, contract: Contract
) -> None:
    cited: dict[str, int] = {}
    problems = []
    for path in pages(built_site):
        for link in links(path.read_text(encoding="utf-8")):
            if "contract-ref" not in link.classes:
                continue
            anchor = _anchor(link, _where(built_site, path))
            assert anchor is not None, link.href
            cited[anchor] = cited.get(anchor, 0) + 1
            expected = marker(contract.cited(anchor))
            where = f"{path.relative_to(built_site)}: {anchor}"
            if expected is None and link.marker is not None:
                problems.append(f"{where}: a marker beside a confirmed entry")
            elif expected is not None and (
                link.marker is None
                or f"contract-mark--{expected.kind}" not in link.marker
                or link.marker_title != expected.title
            ):
                problems.append(f"{where}: no {expected.label} marker beside it")
    assert problems == []
    marked = [a for a in cited if marker(contract.cited(a)) is not None]
    assert len(cited) >= 30 and len(marked) >= 12, (len(cited), len(marked))


def test_every_page_that_states_koyeb_behaviour_cites_the_contract(built_site: Path) -> None:
    for name in (
        "index.md",
        "how-to/manual.md",
        "how-to/monitor.md",
        "how-to/ci-cd.md",
        "how-to/best-practices.md",
        "explanation/how-it-works.md",
        "explanation/when-to-bust.md",
        "explanation/architecture.md",
        "troubleshooting.md",
        "reference/configuration.md",
    ):
        assert any("contract-ref" in link.classes for link in links(page(built_site, name))), name


def test_the_docker_args_correction_matches_the_cli_source(
    built_site: Path, contract: Contract
) -> None:
    html = page(built_site, "how-to/manual.md")
    start = html.index('id="if-you-used-the-earlier-guide"')
    correction = html[start : html.index('id="before-you-start"')]
    shown = " ".join(text(correction).split())
    cited = {
        _anchor(link, "how-to/manual")
        for link in links(correction)
        if "contract-ref" in link.classes
    }
    entry = contract.entry("cli-update-docker-flags-switch-source")
    assert entry.anchor in cited
    assert any(c.function.endswith("setSource") for c in entry.cli)
    for said in ("setSource", "definition.git = nil", "--git-docker-args", "no image"):
        assert said in shown, said
    # What the earlier correction said, and the CLI source contradicts for this service.
    assert "container's command at run time" not in shown
    unconfirmed = contract.entry("api-image-less-docker-source")
    assert unconfirmed.status == "unconfirmed" and unconfirmed.anchor in cited


def test_the_status_table_lists_every_status_with_what_each_tool_does(
    built_site: Path, contract: Contract
) -> None:
    html = page(built_site, "how-to/monitor.md")
    table = html[html.index('id="the-statuses-a-deployment-can-have"') :]
    table = table[table.index("<table>") : table.index("</table>")]
    rows = {
        cells[0]: cells[1:]
        for row in re.findall(r"<tr>(.*?)</tr>", table, re.DOTALL)[1:]
        if (
            cells := [
                " ".join(text(c).split()) for c in re.findall(r"<td>(.*?)</td>", row, re.DOTALL)
            ]
        )
    }
    statuses = next(c.values for c in contract.entry("api-deployment-status").openapi if c.values)
    assert list(rows) == list(statuses)
    wait = contract.entry("cli-wait-classification").wait
    assert wait is not None
    for status, (cli, ours, _) in rows.items():
        if status in wait.failure:
            assert cli == "fails (exit 1)", status
        elif status in wait.in_progress:
            assert cli == "keeps waiting", status
        else:
            assert cli == "succeeds (exit 0)", status
        if status in SUCCESS:
            assert ours == f"succeeds (exit {int(ExitCode.OK)})", status
        elif status in FAILURE:
            assert ours == f"fails (exit {int(ExitCode.DEPLOYMENT_FAILED)})", status
        else:
            assert ours == "keeps waiting", status


def test_a_page_citing_a_missing_entry_fails_the_build(repo_root: Path, tmp_path: Path) -> None:
    root = tmp_path / "project"
    for name in (*COPIED, "src/guidetools"):
        source, target = repo_root / name, root / name
        target.parent.mkdir(parents=True, exist_ok=True)
        (copy_tree if source.is_dir() else shutil.copy2)(source, target)
    page_md = root / "docs/how-to/manual.md"
    page_md.write_text(page_md.read_text() + '\nKoyeb does this {{ contract("api-gone") }}.\n')
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "mkdocs",
            "build",
            "--strict",
            "-f",
            str(root / "mkdocs.yml"),
            "--site-dir",
            str(tmp_path / "site"),
        ],
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert "api-gone" in result.stderr and "how-to/manual.md" in result.stderr, result.stderr
