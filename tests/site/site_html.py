"""Reading the built site: page text and code blocks, with the standard library only."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from html.parser import HTMLParser
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


@dataclass(frozen=True)
class Link:
    """An `<a>` of a page: where it points, its classes, its text, and the marker
    (`<abbr class="contract-mark ...">`) right after it, if any."""

    href: str
    classes: frozenset[str]
    text: str
    marker: frozenset[str] | None
    marker_title: str | None


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[Link] = []
        self._open: dict[str, str] | None = None
        self._text: list[str] = []
        self._after: Link | None = None  # the link just closed, waiting for its marker

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = {name: value or "" for name, value in attrs}
        if self._after is not None:
            link, self._after = self._after, None
            if tag == "abbr" and "contract-mark" in found.get("class", "").split():
                link = Link(
                    link.href,
                    link.classes,
                    link.text,
                    frozenset(found["class"].split()),
                    found.get("title"),
                )
            self.links.append(link)
        if tag == "a":
            self._open, self._text = found, []

    def handle_data(self, data: str) -> None:
        if self._open is not None:
            self._text.append(data)
        elif self._after is not None and data.strip():
            self.links.append(self._after)
            self._after = None

    def handle_endtag(self, tag: str) -> None:
        if tag == "a" and self._open is not None:
            attrs, self._open = self._open, None
            self._after = Link(
                attrs.get("href", ""),
                frozenset(attrs.get("class", "").split()),
                "".join(self._text),
                None,
                None,
            )
        elif self._after is not None:
            self.links.append(self._after)
            self._after = None

    def close(self) -> None:
        super().close()
        if self._after is not None:
            self.links.append(self._after)
            self._after = None


def links(page_html: str) -> list[Link]:
    """Every link of a page, in order, each with the contract marker that follows it."""
    parser = _Links()
    parser.feed(page_html)
    parser.close()
    return parser.links
