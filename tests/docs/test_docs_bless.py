"""Bless mode (`pytest --update-docs`): the expected output of console blocks rewritten
from what the commands print, placeholders and macros kept (guidetools.bless)."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from guidetools.bless import CannotBless, Rewrite, apply, expected_lines, summary
from guidetools.checks import is_guide_page, page_checks, run_checks
from guidetools.guide import Guide

OLD_MESSAGE = 'f"{target} is {status} on deployment {deployment_id}."'
NEW_MESSAGE = 'f"{target} is now {status} (deployment {deployment_id})."'


def test_a_changed_line_keeps_its_placeholders_and_macros() -> None:
    new, shown = expected_lines(
        ["{{ target }} is HEALTHY on deployment <id>.", "took <duration>"],
        ["app/api is HEALTHY on deployment <id>.", "took <duration>"],
        ["app/api is now HEALTHY (deployment 4f5e1c1a).", "took 3m05s"],
        {"target": "app/api"},
    )
    assert new == ["{{ target }} is now HEALTHY (deployment <id>).", "took <duration>"]
    assert shown == ["app/api is now HEALTHY (deployment <id>).", "took <duration>"]


def test_an_ellipsis_and_matching_lines_stay_as_written() -> None:
    new, _ = expected_lines(
        ["start", "...", "{{ app }} done", "gone"],
        ["start", "...", "my-app done", "gone"],
        ["start", "a", "b", "my-app done", "new line for my-app"],
        {"app": "my-app"},
    )
    assert new == ["start", "...", "{{ app }} done", "new line for {{ app }}"]


def test_output_that_jinja_would_read_is_not_blessed() -> None:
    with pytest.raises(CannotBless, match="Jinja"):
        expected_lines(["x"], ["x"], ["{{ oops }}"], {})


def _git(root: Path, *args: str) -> str:
    done = subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@t", *args],
        cwd=root,
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout


def test_a_changed_success_message_is_blessed_into_exactly_the_pages_that_show_it(
    project_copy: Callable[..., Path],
) -> None:
    root = project_copy("src/cachebust")
    common = root / "src/cachebust/cli/_common.py"
    assert OLD_MESSAGE in common.read_text()
    common.write_text(common.read_text().replace(OLD_MESSAGE, NEW_MESSAGE))
    # The sessions' `cachebust` imports the copy's package, with the new message.
    env = {"PYTHONPATH": str(root / "src")}
    pages = sorted(p for p in root.rglob("*.md") if is_guide_page(p, root))
    showing = {
        str(p.relative_to(root)) for p in pages if "HEALTHY on deployment <id>." in p.read_text()
    }
    assert len(showing) >= 3

    blessing = Guide(root, env=env, rewrites=[])
    try:
        for page in pages:
            checked = page_checks(blessing, page)
            console = tuple(c.line for c in checked.checks if getattr(c, "kind", "") == "console")
            assert run_checks(checked, lines=console) == [] if console else True
        assert blessing.rewrites is not None
        applied = apply(root, blessing.rewrites)
    finally:
        blessing.close()

    assert set(applied.diffs) == showing and applied.skipped == ()
    diff = _git(root, "diff", "-U0", "--", "docs", "README.md")
    removed = [line[1:] for line in diff.splitlines() if line[:1] == "-" and line[:3] != "---"]
    added = [line[1:] for line in diff.splitlines() if line[:1] == "+" and line[:3] != "+++"]
    assert removed and len(added) == len(removed)
    for old, new in zip(removed, added, strict=True):
        assert old.strip() == "{{ target }} is HEALTHY on deployment <id>."
        assert new == old.replace(
            "is HEALTHY on deployment <id>.", "is now HEALTHY (deployment <id>)."
        )

    normal = Guide(root, env=env)
    try:
        for page in sorted(showing):
            assert run_checks(page_checks(normal, root / page)) == []
    finally:
        normal.close()


PAGE = """\
# Blessed

```console
$ echo "{{ app }} says hello"; echo "{{ app }} 4f5e1c1a"
{{ app }} says goodbye
{{ app }} <id>
```

`koyeb service redeploy` has no `--skip-cache`:

```{.console .counter-example}
$ koyeb service redeploy {{ target }} --skip-cache
...
```

<!-- exempt: shown, never run -->
```console
$ echo no
yes
```
"""


def test_update_docs_under_xdist_rewrites_the_page_once_and_a_normal_run_then_passes(
    project_copy: Callable[..., Path],
) -> None:
    root = project_copy()
    page = root / "docs" / "blessed.md"
    page.write_text(PAGE)
    command = [sys.executable, "-m", "pytest", "docs/blessed.md", "-p", "no:cacheprovider"]
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}

    def run(*extra: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [*command, *extra], cwd=root, env=env, capture_output=True, text=True, check=False
        )

    assert run("-n", "0").returncode == 1
    blessed = run("-n", "2", "--update-docs")
    assert blessed.returncode == 0, blessed.stdout
    assert "docs bless: docs/blessed.md: -1 +1 lines" in blessed.stdout
    assert page.read_text() == PAGE.replace("{{ app }} says goodbye", "{{ app }} says hello")
    normal = run("-n", "0")
    assert normal.returncode == 0, normal.stdout


def test_a_page_changed_while_the_tests_ran_is_left_whole(tmp_path: Path) -> None:
    page = tmp_path / "docs" / "p.md"
    page.parent.mkdir()
    page.write_text("```console\n$ echo a\nb\n$ echo c\nd\n```\n")
    stale = [
        Rewrite("docs/p.md", 3, ("b",), ("a",)),
        Rewrite("docs/p.md", 5, ("x",), ("c",)),
    ]
    applied = apply(tmp_path, stale)
    assert applied.diffs == {} and applied.skipped == ("docs/p.md:5",)
    assert page.read_text() == "```console\n$ echo a\nb\n$ echo c\nd\n```\n"
    assert summary(applied)[0] == (
        "docs bless: docs/p.md:5: not rewritten, the page changed while the tests ran"
    )
    fresh = apply(tmp_path, [Rewrite("docs/p.md", 3, ("b",), ("a", "a2"))])
    assert page.read_text() == "```console\n$ echo a\na\na2\n$ echo c\nd\n```\n"
    assert summary(fresh)[0] == "docs bless: docs/p.md: -1 +2 lines"
