"""A link checker for a built site: every internal link and anchor resolves.

It crawls from the home page as a reader would, following internal links, and reads
each file once. LinkChecker did this job before, over HTTP, but it downloads and parses
a page again for every distinct `#fragment` pointing at it: with the contract page
cited about a hundred times, that was a minute a build for a few hundred links.
"""

from __future__ import annotations

from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urlsplit

# The attributes that load or lead to another resource of the site.
_LINKS = {"a": "href", "link": "href", "script": "src", "img": "src", "source": "src"}


class _Page(HTMLParser):
    """The anchors a page defines and the links it holds, with their lines."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()
        self.links: list[tuple[int, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        for name in ("id", "name") if tag == "a" else ("id",):
            if values.get(name):
                self.ids.add(str(values[name]))
        target = values.get(_LINKS.get(tag, ""))
        if target:
            self.links.append((self.getpos()[0], target))


@dataclass(frozen=True)
class Broken:
    page: str
    line: int
    link: str
    why: str

    def __str__(self) -> str:
        return f"{self.page}:{self.line}: {self.link}: {self.why}"


def _file(site: Path, path: str) -> Path | None:
    """The file the server would answer `path` with, if any."""
    candidate = site / path.lstrip("/")
    if candidate.is_dir():
        candidate = candidate / "index.html"
    return candidate if candidate.is_file() else None


def check(site: Path) -> tuple[list[Broken], int]:
    """Every broken internal link reachable from the home page, and how many links were
    checked."""
    parsed: dict[Path, _Page] = {}

    def read(file: Path) -> _Page:
        if file not in parsed:
            page = _Page()
            if file.suffix == ".html":
                page.feed(file.read_text(encoding="utf-8"))
            parsed[file] = page
        return parsed[file]

    broken: list[Broken] = []
    checked = 0
    queue = ["/"]
    seen = {"/"}
    while queue:
        url = queue.pop()
        page_file = _file(site, url)
        assert page_file is not None, url
        for line, link in read(page_file).links:
            parts = urlsplit(link)
            if parts.scheme or parts.netloc:
                continue  # external: listed by the page, not fetched (no network here)
            checked += 1
            directory = url if url.endswith("/") else str(PurePosixPath(url).parent) + "/"
            path = unquote(parts.path)
            target_url = str(PurePosixPath(directory, path)) if path else url
            if path.endswith("/") and not target_url.endswith("/"):
                target_url += "/"
            target_url = _normalise(target_url)
            target = _file(site, target_url)
            if target is None:
                broken.append(Broken(url, line, link, "no such page or file"))
                continue
            if parts.fragment and parts.fragment not in read(target).ids:
                broken.append(Broken(url, line, link, f"no anchor `{parts.fragment}` there"))
            if target.suffix == ".html" and target_url not in seen:
                seen.add(target_url)
                queue.append(target_url)
    return broken, checked


def _normalise(url: str) -> str:
    """`/a/./b/../c/` as `/a/c/`, keeping the trailing slash that marks a folder."""
    kept: list[str] = []
    for part in url.split("/"):
        if part == "..":
            if kept:
                kept.pop()
        elif part not in ("", "."):
            kept.append(part)
    folder = url.endswith("/") or url.endswith("/.")
    return "/" + "/".join(kept) + ("/" if folder and kept else "")
