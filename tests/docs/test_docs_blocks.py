"""Finding the blocks of a page, nested ones included, and putting each in a class."""

from __future__ import annotations

from pathlib import Path

import pytest

from guidetools.blocks import Kind, classify, session
from guidetools.fences import code_spans, scan

PAGE = Path("docs/page.md")

NESTED = """\
# Title

=== "Tab"

    ```console
    $ cachebust status
    service: x
    ```

    ??? info "Details"

        ```{.python continuation}
        print("deep")
        ```

!!! note
    <!-- exempt: needs a keyboard -->
    ```console
    $ read -rs KOYEB_TOKEN
    ```
"""


def test_nested_fences_are_found_with_their_page_lines_and_de_indented() -> None:
    fences = scan(PAGE, NESTED).fences
    assert [(f.line, f.end, f.indent, f.language) for f in fences] == [
        (5, 8, 4, "console"),
        (12, 14, 8, "python"),
        (18, 20, 4, "console"),
    ]
    assert fences[0].source == "$ cachebust status\nservice: x"
    assert fences[1].source == 'print("deep")'
    assert fences[1].options == ("continuation",)
    assert fences[2].exempt == "needs a keyboard"
    assert fences[0].exempt is None


def test_superfences_info_gives_language_classes_and_options() -> None:
    text = (
        "```{.console .counter-example .accepted-but-wrong title=\"a b\" linenums='1 2' #x}\n"
        "$ koyeb x\n```\n"
    )
    fence = scan(PAGE, text).fences[0]
    assert fence.language == "console"
    assert fence.classes == {"counter-example", "accepted-but-wrong"}
    assert fence.options == ()
    unclosed = scan(PAGE, '```{.python continuation title="a b}\nx = 1\n```\n').fences[0]
    assert (unclosed.language, unclosed.options) == ("python", ("continuation", "b"))
    notest = scan(PAGE, '``` {.python notest title="app.py"}\nx = 1\n```\n').fences[0]
    assert (notest.language, notest.options) == ("python", ("notest",))


def test_an_exempt_marker_not_directly_above_a_fence_is_reported() -> None:
    text = "<!-- exempt: forgotten -->\n\n```console\n$ true\n```\n"
    found = scan(PAGE, text)
    assert found.fences[0].exempt is None
    assert [(m.line, m.reason) for m in found.dangling] == [(1, "forgotten")]


def test_a_marker_inside_a_block_is_text() -> None:
    found = scan(PAGE, "```text\n<!-- exempt: shown -->\n```\n")
    assert found.dangling == ()


def test_session_keeps_continuations_and_output_lines() -> None:
    fence = scan(PAGE, "```console\n$ one \\\n  --flag\nout 1\n\n$ two\n...\n\n```\n").fences[0]
    commands = session(fence, fence.source)
    assert [(c.line, c.text, c.expected) for c in commands] == [
        (2, "one \\\n  --flag", ("out 1",)),
        (6, "two", ("...",)),
    ]


def test_output_before_the_first_command_is_an_error() -> None:
    fence = scan(PAGE, "```console\noops\n$ true\n```\n").fences[0]
    with pytest.raises(ValueError, match=r"page\.md:2: output before the first"):
        session(fence, fence.source)


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("```console\n$ cachebust status\n...\n```", Kind.CONSOLE),
        ("```console\n$ koyeb service get app/api\n```", Kind.KOYEB),
        ("```console\n$ make serve  # comment\n$ make test\n```", Kind.MAKE),
        ("```console\n$ make serve && echo served\n```", Kind.UNCLASSIFIED),
        (
            "```{.console .counter-example}\n$ koyeb service logs a/b --follow\n```",
            Kind.COUNTER_EXAMPLE,
        ),
        (
            "```{.console .counter-example .accepted-but-wrong}\n$ koyeb service get a/b\n```",
            Kind.ACCEPTED_BUT_WRONG,
        ),
        ("```python\nprint(1)\n```", Kind.PYTHON),
        ("```py\nprint(1)\n```", Kind.PYTHON),
        ('```{.python notest}\n--8<-- "backend/app.py"\n```', Kind.INCLUDE),
        ('```bash\n--8<-- "runbooks/force-koyeb-rebuild.sh"\n```', Kind.INCLUDE),
        ("<!-- exempt: a real build log -->\n```text\n#1 CACHED\n```", Kind.EXEMPT),
        ("```yaml\non: push\n```", Kind.UNCLASSIFIED),
        ("```bash\necho hi\n```", Kind.UNCLASSIFIED),
        ("```{.python notest}\nprint(1)\n```", Kind.UNCLASSIFIED),
        ("```{.python continuation #setup}\nprint(1)\n```", Kind.PYTHON),
        ("```{.python fixture:tmp_path}\nprint(1)\n```", Kind.UNCLASSIFIED),
        ("<!-- exempt:  -->\n```console\n$ true\n```", Kind.UNCLASSIFIED),
        ("```console\n$ koyeb service get a/b\n$ cachebust status\n```", Kind.UNCLASSIFIED),
        ("```{.console .counter-example}\n$ cachebust status\n```", Kind.UNCLASSIFIED),
        ("```console\nno prompt\n```", Kind.UNCLASSIFIED),
        ("```console\n```", Kind.UNCLASSIFIED),
    ],
)
def test_every_block_gets_a_class_or_a_reason(text: str, kind: Kind) -> None:
    fence = scan(PAGE, text).fences[0]
    block = classify(fence, fence.source)
    assert block.kind is kind
    if kind is Kind.UNCLASSIFIED:
        assert block.reason


def test_code_spans_skip_fences_and_may_wrap() -> None:
    text = "Run `koyeb service\nredeploy x/y` now.\n\n```console\n$ `not a span`\n```\nand `b`.\n"
    spans = list(code_spans(text, scan(PAGE, text).fences))
    assert spans == [(1, "koyeb service redeploy x/y"), (7, "b")]
