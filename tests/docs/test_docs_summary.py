"""Every block is counted in one class; a block in none fails, naming its page line."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from pathlib import Path

from guidetools.checks import page_checks, run_checks
from guidetools.guide import Guide
from guidetools.pytest_plugin import summary_line

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
