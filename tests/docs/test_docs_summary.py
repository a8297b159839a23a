"""Every block is counted in one class; a block in none fails, naming its page line."""

from __future__ import annotations

import subprocess
import sys
from collections import Counter
from collections.abc import Callable
from pathlib import Path

from guidetools import coverage
from guidetools.checks import page_checks, run_checks
from guidetools.coverage import summary_line
from guidetools.guide import Guide

PAGE = """\
# Extra

```yaml
on: push
```

<!-- exempt: an excerpt, shown to explain it -->
```text
#1 CACHED
```

```console
$ koyeb service get {{ target }}
...
```
"""


def test_the_summary_line_counts_each_class() -> None:
    counts = Counter({"executed": 28, "validated": 9, "included+linted": 3, "exempt": 1})
    assert summary_line(counts) == (
        "docs: 41 code blocks, 28 executed, 9 validated, 3 included+linted, 1 exempt"
    )


def test_a_block_in_no_class_fails_and_is_counted(project_copy: Callable[..., Path]) -> None:
    root = project_copy()
    page = root / "docs" / "extra.md"
    page.write_text(PAGE)
    guide = Guide(root)
    try:
        checked = page_checks(guide, page)
        assert summary_line(checked.counts) == (
            "docs: 3 code blocks, 0 executed, 1 validated, 0 included+linted, 1 exempt, "
            "1 in no class"
        )
        assert run_checks(checked) == [
            "docs/extra.md:3: in no class: a yaml block that is neither included nor exempt"
        ]
    finally:
        guide.close()


def test_an_exempt_block_is_still_held_to_the_cli_flag_table(
    project_copy: Callable[..., Path],
) -> None:
    root = project_copy()
    page = root / "docs" / "extra.md"
    page.write_text(
        "# Extra\n\n<!-- exempt: talks to a real Koyeb account -->\n"
        "```console\n$ koyeb service logs {{ target }} --follow\n...\n```\n"
    )
    guide = Guide(root)
    try:
        problems = run_checks(page_checks(guide, page))
    finally:
        guide.close()
    assert len(problems) == 1
    assert problems[0].startswith("docs/extra.md:5: the official koyeb CLI rejects")


COVERED = """\
# Covered

```console
$ echo hi
bye
```

<!-- exempt: reads a token from the keyboard -->
```console
$ read -rs KOYEB_TOKEN
```

```console
$ koyeb service get {{ target }}
```
"""


def test_a_run_writes_one_record_per_block_and_the_summary_line_from_it(
    project_copy: Callable[..., Path],
) -> None:
    root = project_copy()
    (root / "docs" / "covered.md").write_text(COVERED)
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "docs/covered.md", "-p", "no:cacheprovider", "-n", "2"],
        cwd=root,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 1, done.stdout + done.stderr
    records = coverage.read(root / coverage.REPORT)
    assert [(r.line, r.label, r.kind, r.commands, r.result, r.exempt_reason) for r in records] == [
        (3, "executed", "console", 1, "failed", None),
        (9, "exempt", "exempt", 1, "not run", "reads a token from the keyboard"),
        (13, "validated", "koyeb", 1, "passed", None),
    ]
    assert {(r.page, r.language) for r in records} == {("docs/covered.md", "console")}
    line = coverage.summary_line(coverage.counts(records))
    assert line == "docs: 3 code blocks, 1 executed, 1 validated, 0 included+linted, 1 exempt"
    assert line in done.stdout.splitlines()


def test_test_artifacts_are_not_committed(repo_root: Path) -> None:
    ignored = subprocess.run(
        ["git", "check-ignore", "-q", "test-artifacts/doc-blocks.json"], cwd=repo_root, check=False
    )
    assert ignored.returncode == 0
