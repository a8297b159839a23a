"""Reading the built site: page text and code blocks, with the standard library only."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from pathlib import Path

_TAG = re.compile(r"<[^>]+>")
_HEADING = re.compile(r"<h([1-3])[^>]*>(.*?)</h\1>", re.DOTALL)
_BLOCK = re.compile(
    r'<div class="(?P<classes>language-[^"]*)"(?P<attrs>[^>]*)>.*?<code[^>]*>(?P<code>.*?)</code>',
    re.DOTALL,
)
_DATA_COPY = re.compile(r'data-copy="([^"]*)"')


def text(fragment: str) -> str:
    """Visible text of an HTML fragment."""
    return html.unescape(_TAG.sub("", fragment))


def page(site: Path, path: str) -> str:
    """The HTML of a built page, by its docs path (`how-to/manual.md`)."""
    name = path.removesuffix(".md")
    target = site / "index.html" if name == "index" else site / name / "index.html"
    return target.read_text(encoding="utf-8")


def headings(page_html: str) -> list[str]:
    """The text of every h1-h3, without the permalink mark."""
    return [text(m[2]).replace("¶", "").strip() for m in _HEADING.finditer(page_html)]


@dataclass(frozen=True)
class CodeBlock:
    classes: frozenset[str]
    code: str
    data_copy: str | None

    @property
    def language(self) -> str:
        return next(c for c in self.classes if c.startswith("language-")).removeprefix("language-")


def code_blocks(page_html: str) -> list[CodeBlock]:
    blocks = []
    for match in _BLOCK.finditer(page_html):
        copy = _DATA_COPY.search(match["attrs"])
        blocks.append(
            CodeBlock(
                classes=frozenset(match["classes"].split()),
                code=text(match["code"]),
                data_copy=html.unescape(copy[1]) if copy else None,
            )
        )
    return blocks


def pages(site: Path) -> list[Path]:
    return sorted(p for p in site.rglob("index.html") if "assets" not in p.parts)
