"""What the browser tests expect, read from mkdocs.yml and from the built HTML."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

# The page whose methods are content tabs, and one of the two screenshots.
MANUAL_METHODS = "how-to/manual/"

_ARTICLE = re.compile(r'<article class="md-content__inner[^"]*">(.*?)</article>', re.DOTALL)
_TAB_LABELS = re.compile(r'<div class="tabbed-labels">(.*?)</div>', re.DOTALL)
_LABEL = re.compile(r"<label[^>]*>(.*?)</label>", re.DOTALL)
_TAG = re.compile(r"<[^>]+>")


class _ConfigLoader(yaml.SafeLoader):
    """Reads mkdocs.yml without running it: MkDocs' tags (`!relative`, `!ENV`,
    `!!python/name:`) load as None."""


def _ignore_tag(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> None:
    return None


_ConfigLoader.add_multi_constructor("!", _ignore_tag)
_ConfigLoader.add_multi_constructor("tag:yaml.org,2002:python/", _ignore_tag)


@dataclass(frozen=True)
class NavPage:
    title: str
    source: str
    """The Markdown file under docs/, as the nav names it: `how-to/manual.md`."""

    @property
    def url(self) -> str:
        """The page's URL relative to the site root (MkDocs' default directory URLs)."""
        stem = self.source.removesuffix(".md")
        if stem == "index" or stem.endswith("/index"):
            return stem.removesuffix("index")
        return f"{stem}/"


def nav_pages(mkdocs_yml: Path) -> list[NavPage]:
    """Every page of the `nav`, in reading order; links to other sites are not pages."""
    config = yaml.load(mkdocs_yml.read_text(encoding="utf-8"), Loader=_ConfigLoader)
    found: list[NavPage] = []

    def walk(entries: list[Any]) -> None:
        for entry in entries:
            title, target = next(iter(entry.items())) if isinstance(entry, dict) else (None, entry)
            if isinstance(target, list):
                walk(target)
            elif "://" not in target:
                found.append(NavPage(title=title or target, source=target))

    walk(config["nav"])
    return found


def built_page(site: Path, url: str) -> str:
    return (site / url / "index.html").read_text(encoding="utf-8")


def text(fragment: str) -> str:
    """The text of an HTML fragment, as a browser shows it (tags gone, entities read)."""
    return html.unescape(_TAG.sub("", fragment))


def article_text(page_html: str) -> str:
    """The visible text of a page's content, without header, navigation or footer."""
    match = _ARTICLE.search(page_html)
    return text(match[1]) if match else ""


def tab_sets(page_html: str) -> list[list[str]]:
    """The labels of each content-tab set on a page, in order."""
    return [
        [text(label).strip() for label in _LABEL.findall(labels)]
        for labels in _TAB_LABELS.findall(page_html)
    ]


def page_urls(site: Path) -> list[str]:
    """The URL of every page MkDocs built (the search index covers them all)."""
    return sorted(
        "" if p.parent == site else f"{p.parent.relative_to(site).as_posix()}/"
        for p in site.rglob("index.html")
        if "assets" not in p.relative_to(site).parts
    )
