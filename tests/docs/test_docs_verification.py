"""The verification line of each page: what it says, and that the site computes it from
the doc-tests' own classification (guidetools.verification)."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import markdown
import pytest

from guidetools.checks import is_guide_page, page_checks
from guidetools.coverage import BlockRecord, fenced_records, page_records
from guidetools.fences import blank_front_matter, front_matter
from guidetools.guide import Guide
from guidetools.verification import CSS_CLASS, marked, sentence

REPO = Path(__file__).resolve().parents[2]
PAGES = sorted(
    str(p.relative_to(REPO)) for p in (REPO / "docs").rglob("*.md") if is_guide_page(p, REPO)
)


def _record(kind: str, label: str, commands: int = 0, reason: str | None = None) -> BlockRecord:
    return BlockRecord("docs/p.md", 1, "console", label, kind, commands, reason)


def test_the_sentence_counts_commands_by_what_ci_does_with_them() -> None:
    records = [
        _record("console", "executed", 4),
        _record("console", "executed", 2),
        _record("koyeb", "validated", 3),
        _record("exempt", "exempt", 1, "it reads a token from the `read` builtin"),
    ]
    assert sentence(records) == (
        "CI checks this page: 6 commands run against a fake Koyeb API; 3 <code>koyeb</code> "
        "commands are checked against the official CLI's flags; 1 command is not run (it "
        "reads a token from the <code>read</code> builtin)."
    )
    assert sentence([]) == "CI checks this page: it shows no code to run."


def _essentials(records: list[BlockRecord]) -> Counter[tuple[str, str, int, str | None]]:
    return Counter((r.label, r.kind, r.commands, r.exempt_reason) for r in records)


@pytest.mark.parametrize("page", PAGES)
def test_the_site_classifies_each_page_as_the_doc_tests_do(guide: Guide, page: str) -> None:
    """Under MkDocs the extension reads the page rendered by mkdocs-macros; under
    Zensical, before its macros run: both must give the doc-tests' records."""
    path = REPO / page
    text = path.read_text(encoding="utf-8")
    tested = list(page_checks(guide, path).records)
    renderer = guide.renderer
    rendered = renderer.env.from_string(blank_front_matter(text)).render(
        **{**renderer.variables, **front_matter(text)}
    )
    assert _essentials(page_records(Path(page), text)) == _essentials(tested)
    assert _essentials(page_records(Path(page), rendered)) == _essentials(tested)


def test_the_extension_appends_the_line_to_the_page() -> None:
    text = "# T\n\n```console\n$ cachebust status\n```\n"
    html = markdown.markdown(text, extensions=["guidetools.verification"])
    assert html.endswith(
        f'<p class="{CSS_CLASS}">CI checks this page: 1 command runs against a fake Koyeb API.</p>'
    )


@pytest.mark.parametrize(
    ("text", "opening"),
    [
        (
            "```console\n$ ls\n```\n",
            '```{.console data-doc-check="runs it" data-doc-check-detail="Run in CI against '
            'a fake Koyeb API; its output is compared."}',
        ),
        (
            "    ```{.console .counter-example}\n    $ koyeb x\n    ```\n",
            '    ```{.console .counter-example data-doc-check="checks it is wrong" '
            'data-doc-check-detail="Not run: checked to be rejected by the official koyeb '
            'CLI&#x27;s flags."}',
        ),
        (
            '<!-- exempt: needs a "daemon" -->\n``` {.text title="x"}\nhi\n```\n',
            '``` {.text title="x" data-doc-check="does not run it" '
            'data-doc-check-detail="Not run in CI: needs a &quot;daemon&quot;."}',
        ),
    ],
)
def test_each_fence_gets_its_mark_in_the_form_superfences_reads(text: str, opening: str) -> None:
    ((fence, found),) = fenced_records(Path("p.md"), text)
    line = text.splitlines()[fence.line - 1]
    assert marked(line, fence, found) == opening
