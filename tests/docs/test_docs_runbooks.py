"""Every runbook script runs against the fake Koyeb API (a real server, not a stub):
in a page's executed block, and here, where the requests it sends are checked."""

from __future__ import annotations

from pathlib import Path

import pytest

from guidetools.blocks import Kind
from guidetools.checks import is_guide_page, page_checks
from guidetools.guide import Guide
from guidetools.session import run
from guidetools.transcript import Command

REPO = Path(__file__).resolve().parents[2]
SCRIPTS = sorted(str(p.relative_to(REPO)) for p in REPO.glob("runbooks/*.sh"))


def test_there_are_runbooks() -> None:
    assert SCRIPTS


@pytest.mark.parametrize("script", SCRIPTS)
def test_each_runbook_is_run_by_a_page(guide: Guide, script: str) -> None:
    pages = [p for p in sorted(guide.root.rglob("*.md")) if is_guide_page(p, guide.root)]
    executed = [
        command.text
        for page in pages
        for block in page_checks(guide, page).blocks
        if block.kind is Kind.CONSOLE
        for command in block.commands
    ]
    assert any(script in command for command in executed), (
        f"no executed console block of the guide runs {script}"
    )


@pytest.mark.parametrize("script", SCRIPTS)
def test_each_runbook_forces_one_uncached_redeploy_of_the_configured_service(
    repo_root: Path, script: str
) -> None:
    fresh = Guide(repo_root)  # its own fake, so its journal holds this script's requests only
    try:
        shell = fresh.shell()
        session = run([Command(1, f"{script} --no-wait", ())], shell)
        assert [result.status for result in session.results] == [0], session.results
        fake = fresh.koyeb().fake
        posts = [(entry.path, entry.body) for entry in fake.journal if entry.method == "POST"]
        assert posts == [
            (
                f"/v1/services/{fake.service_id}/redeploy",
                {"use_cache": False, "skip_build": False},
            )
        ]
    finally:
        fresh.close()
