"""`make` commands in the guide are checked with `make -n`, at their page line."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from guidetools.checks import page_checks, run_checks
from guidetools.guide import Guide


def test_a_make_target_that_does_not_exist_fails_at_its_line(
    project_copy: Callable[..., Path],
) -> None:
    root = project_copy()
    page = root / "docs" / "extra.md"
    page.write_text("# Extra\n\n```console\n$ make serve  # the guide\n$ make sevre\n```\n")
    guide = Guide(root)
    try:
        problems = run_checks(page_checks(guide, page))
    finally:
        guide.close()
    assert len(problems) == 1
    assert problems[0].startswith("docs/extra.md:5: `make sevre` fails `make -n`:\n")
    assert "No rule to make target 'sevre'" in problems[0]
