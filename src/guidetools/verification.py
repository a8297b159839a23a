"""The line at the foot of every page that says what CI proves about it.

"CI checks this page: 6 commands run against a fake Koyeb API; 3 `koyeb` commands are
checked against the official CLI's flags; 1 command is not run (it reads a token from
the keyboard)." It is computed from the page's block records (`guidetools.coverage`),
the classification the doc-tests use, so it cannot promise more than they do.

It is a Python-Markdown extension (`mkdocs.yml`, `markdown_extensions`), so both
builders run it: Zensical ignores MkDocs hooks and has no mkdocs-macros page events.
Its preprocessor runs before mkdocs-click (141) and the snippets (32) expand anything,
so it reads the page's own fences: rendered by mkdocs-macros under MkDocs, not yet
under Zensical (priority 35 there), which changes no block's class or command count
(`tests/docs/test_docs_verification.py` checks that on every page).
"""

from __future__ import annotations

import html
import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from pathlib import Path
from typing import Any

# Python-Markdown ships no type information.
from markdown import Extension, Markdown  # type: ignore[import-untyped]
from markdown.preprocessors import Preprocessor  # type: ignore[import-untyped]

from guidetools.coverage import BlockRecord, fenced_records
from guidetools.fences import Fence

#: The element's class, which the stylesheet and the browser tests find it by.
CSS_CLASS = "doc-verification"
_CODE = re.compile(r"`([^`]+)`")
#: Before mkdocs-click's preprocessor (141): the page's own fences, not generated ones.
PRIORITY = 142


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def _inline(text: str) -> str:
    """An exemption's reason as HTML: escaped, its `code` spans as code."""
    return _CODE.sub(r"<code>\1</code>", html.escape(text.strip(), quote=False))


def clauses(records: Iterable[BlockRecord]) -> list[str]:
    """What CI does with a page's blocks, one clause per kind of check (HTML)."""
    commands: Counter[str] = Counter()
    blocks: Counter[str] = Counter()
    exempt: dict[str, int] = defaultdict(int)
    exempt_blocks: dict[str, int] = defaultdict(int)
    for record in records:
        commands[record.kind] += record.commands
        blocks[record.kind] += 1
        if record.exempt_reason is not None:
            if record.commands:
                exempt[record.exempt_reason] += record.commands
            else:
                exempt_blocks[record.exempt_reason] += 1
    koyeb = "<code>koyeb</code>"
    parts = []
    if commands["console"]:
        n = commands["console"]
        parts.append(
            f"{_count(n, 'command')} {'runs' if n == 1 else 'run'} against a fake Koyeb API"
        )
    if blocks["python"]:
        n = blocks["python"]
        parts.append(f"{_count(n, 'Python block')} {'runs' if n == 1 else 'run'} against it")
    if commands["koyeb"]:
        n = commands["koyeb"]
        parts.append(
            f"{_count(n, koyeb + ' command')} {'is' if n == 1 else 'are'} checked against "
            "the official CLI's flags"
        )
    wrong = commands["counter-example"] + commands["accepted-but-wrong"]
    if wrong:
        parts.append(
            f"{_count(wrong, 'command')} of the earlier guide {'is' if wrong == 1 else 'are'} "
            "checked against those flags to be wrong as the page says"
        )
    if commands["make"]:
        n = commands["make"]
        parts.append(
            f"{_count(n, '<code>make</code> command')} {'is' if n == 1 else 'are'} checked "
            "with <code>make -n</code>"
        )
    if blocks["include"]:
        n = blocks["include"]
        parts.append(
            f"{_count(n, 'file')} shown {'is' if n == 1 else 'are'} the repository's own, linted"
        )
    for reason, n in exempt.items():
        why = _inline(reason)
        parts.append(f"{_count(n, 'command')} {'is' if n == 1 else 'are'} not run ({why})")
    for reason, n in exempt_blocks.items():
        why = _inline(reason)
        parts.append(f"{_count(n, 'block')} {'is' if n == 1 else 'are'} not run ({why})")
    if blocks["unclassified"]:
        n = blocks["unclassified"]
        parts.append(f"{_count(n, 'block')} in no class {'fails' if n == 1 else 'fail'} the tests")
    return parts


def sentence(records: Iterable[BlockRecord]) -> str:
    """The line's HTML content."""
    parts = clauses(records)
    if not parts:
        return "CI checks this page: it shows no code to run."
    return "CI checks this page: " + "; ".join(parts) + "."


def element(records: Iterable[BlockRecord]) -> str:
    return f'<p class="{CSS_CLASS}">{sentence(records)}</p>'


#: Each block's mark (`data-doc-check`, shown below it as "CI: runs it") and what it
#: means (shown on hover), by kind; a block in no class gets none (its test fails).
MARKS = {
    "console": ("runs it", "Run in CI against a fake Koyeb API; its output is compared."),
    "python": ("runs it", "Run in CI against a fake Koyeb API."),
    "koyeb": ("checks its flags", "Not run: checked against the official koyeb CLI's flags."),
    "counter-example": (
        "checks it is wrong",
        "Not run: checked to be rejected by the official koyeb CLI's flags.",
    ),
    "accepted-but-wrong": (
        "checks it is accepted",
        "Not run: the official koyeb CLI's flags accept it; the text says why it is wrong.",
    ),
    "make": ("checks it with make -n", "Not run: checked with make -n."),
    "include": ("lints the file", "The repository's own file, included as is and linted in CI."),
    "exempt": ("does not run it", "Not run in CI: {reason}."),
}
#: An opening fence's info string, in the two forms superfences reads.
_BRACES = re.compile(r"^\{(?P<inside>.*)\}$")
_LANGUAGE = re.compile(r"^[\w+-]+$")
_OPENING = re.compile(r"^(?P<head> *(?:`{3,}|~{3,})[ \t]*)")


def marked(line: str, fence: Fence, record: BlockRecord) -> str:
    """The opening fence `line` with the block's mark as attributes (unchanged when its
    info string has neither superfences form, or the block has no mark)."""
    if record.kind not in MARKS:
        return line
    mark, detail = MARKS[record.kind]
    detail = detail.format(reason=(record.exempt_reason or "").strip().rstrip("."))
    attributes = f'data-doc-check="{mark}" data-doc-check-detail="{html.escape(detail)}"'
    info = fence.info.strip()
    braces = _BRACES.match(info)
    if braces:
        new = "{" + braces["inside"].rstrip() + " " + attributes + "}"
    elif _LANGUAGE.match(info):
        new = "{." + info + " " + attributes + "}"
    else:
        return line
    opening = _OPENING.match(line)
    return line if opening is None else opening["head"] + new


class _VerificationPreprocessor(Preprocessor):  # type: ignore[misc]
    def run(self, lines: list[str]) -> list[str]:
        found = fenced_records(Path("page.md"), "\n".join(lines))
        out = list(lines)
        for fence, block in found:
            out[fence.line - 1] = marked(out[fence.line - 1], fence, block)
        return [*out, "", element(block for _, block in found), ""]


class VerificationExtension(Extension):  # type: ignore[misc]
    def extendMarkdown(self, md: Markdown) -> None:
        md.registerExtension(self)
        md.preprocessors.register(_VerificationPreprocessor(md), "doc_verification", PRIORITY)


def makeExtension(**kwargs: Any) -> VerificationExtension:
    return VerificationExtension(**kwargs)
