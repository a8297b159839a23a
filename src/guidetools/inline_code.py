"""Inline code never breaks a line at one of its hyphens: `--use-cache` does not show as
`--use-` at the end of one line and `cache` at the start of the next, nor
`build-arg-default` as two words.

In code a hyphen is part of the token, but browsers may break a line after any hyphen,
and CSS cannot pick out the words that hold one. This Python-Markdown extension
(`mkdocs.yml`, `markdown_extensions`, so both builders run it) wraps each word of an
inline code span that holds a hyphen (flags such as `-a`, `--use-cache`,
`--wait-timeout=10m`; names such as `harvestconnect-backend/api`) in
`<span class="cb-nobreak">`, which `docs/stylesheets/extra.css` keeps on one line. The
text is unchanged, so search, copy and the doc-tests read the same words; a span with
several words still wraps, at its spaces. A word longer than `LONGEST` (a URL, a path)
keeps its break points, so that it cannot push the page wider than the screen.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from typing import Any

from markdown import Extension  # type: ignore[import-untyped]
from markdown.treeprocessors import Treeprocessor  # type: ignore[import-untyped]
from markdown.util import HTML_PLACEHOLDER_RE, AtomicString  # type: ignore[import-untyped]

#: A word (a run of non-space characters) with a hyphen in it.
WORD = re.compile(r"[^\s-]*-\S*")
#: Characters of the longest word kept whole.
LONGEST = 26
CLASS = "cb-nobreak"


class HyphenTreeprocessor(Treeprocessor):  # type: ignore[misc]
    """Wraps the hyphenated words of every inline `code` element (code blocks are not
    in the tree: SuperFences stashes them whole)."""

    def run(self, root: ET.Element) -> None:
        for code in root.iter("code"):
            if len(code) or not code.text:
                continue
            stashed = _stash_index(self.md, code.text)
            if stashed is None:
                wrap_words(code)
            else:
                # pymdownx.inlinehilite stashes a span's text, escaped: `&quot;` has no
                # hyphen or space, so a word is never cut inside an entity.
                blocks = self.md.htmlStash.rawHtmlBlocks
                blocks[stashed] = WORD.sub(
                    lambda m: f'<span class="{CLASS}">{m[0]}</span>' if _kept(m[0]) else m[0],
                    blocks[stashed],
                )


def _kept(word: str) -> bool:
    return len(word) <= LONGEST


def _stash_index(md: Any, text: str) -> int | None:
    """The index of the stashed HTML that `text` stands for, if it is a placeholder."""
    match = HTML_PLACEHOLDER_RE.fullmatch(text)
    if match is None or int(match[1]) >= len(md.htmlStash.rawHtmlBlocks):
        return None
    return int(match[1])


def wrap_words(code: ET.Element) -> None:
    """Split `code`'s text around its hyphenated words, each in a span of its own."""
    text = code.text or ""
    found = [m for m in WORD.finditer(text) if _kept(m[0])]
    if not found:
        return
    code.text = AtomicString(text[: found[0].start()])
    for match, following in zip(found, [*found[1:], None], strict=True):
        span = ET.SubElement(code, "span", {"class": CLASS})
        span.text = AtomicString(match[0])
        span.tail = AtomicString(text[match.end() : following.start() if following else None])


class InlineCodeExtension(Extension):  # type: ignore[misc]
    def extendMarkdown(self, md: Any) -> None:
        # After the inline patterns (priority 20) have made the code elements.
        md.treeprocessors.register(HyphenTreeprocessor(md), "cb_inline_code", 1)


def makeExtension(**kwargs: Any) -> InlineCodeExtension:
    return InlineCodeExtension(**kwargs)
