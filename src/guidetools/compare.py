"""Two builds of the guide, compared page by page: what a reader gets, not the theme.

Each built page is reduced to what must not depend on the builder: its title,
description and canonical link, the navigation (titles and targets), the table of
contents, the headings with their anchors, every code block (language, copy rule,
text), and the article's text. Its Markdown source adds two more: the value each
macro expression (`{{ ... }}`) renders to, as the doc-tests render it
(`guidetools.render`), and how often each is shown; and each included file
(`--8<-- "path"`), shown whole as a code block or not. Site-wide, the set of files
outside `assets/` and the sitemap's URLs. Theme markup is left out by construction,
since only these parts are read; the differences that remain are in `ALLOWED`, each
with its reason. The CLI reference is a page like the others (mkdocs-click output).

    python -m guidetools.compare              # builds the checkout with both builders
    python -m guidetools.compare FIRST_SITE SECOND_SITE   # two builds of the checkout
"""

from __future__ import annotations

import re
import sys
import tempfile
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urljoin

from bs4 import BeautifulSoup, Tag

from guidetools.builders import BUILDERS, build, copy_project
from guidetools.fences import blank_front_matter
from guidetools.render import Renderer

#: (page, aspect) pairs that may differ between MkDocs (first) and Zensical (second).
ALLOWED: dict[tuple[str, str], str] = {
    # Each builder writes its own search index, read only by its own bundled
    # JavaScript: Material's lunr index, Zensical's section index. The browser tests
    # check what a reader gets from each (the same pages for the same query).
    ("search/search_index.json", "file"): "MkDocs Material's search index",
    ("search.json", "file"): "Zensical's search index",
    # MkDocs also writes a gzipped copy of the sitemap; sitemap.xml itself is compared.
    ("sitemap.xml.gz", "file"): "MkDocs' gzipped copy of sitemap.xml",
    # Material titles the home page with the site name alone; Zensical prefixes the
    # page's nav title ("Overview - ..."), as on every other page. Theme template.
    ("index.html", "title"): "the theme's <title> of the home page",
}

_WHITESPACE = re.compile(r"\s+")
# Links compare as the URL they resolve to: `./`, `././` and `` on a page's own
# index.html are one page.
_BASE = "https://site.invalid/"
_EXPRESSION = re.compile(r"\{\{(?P<expression>.*?)\}\}", re.DOTALL)
_INCLUDE = re.compile(r"""^\s*--8<--\s+"(?P<path>[^"]+)"\s*$""", re.MULTILINE)
# Around each expression while rendering, to find its value in the rendered page.
_OPEN, _CLOSE = "\x02", "\x03"
_VALUE = re.compile(f"{_OPEN}(?P<value>.*?){_CLOSE}", re.DOTALL)


@dataclass(frozen=True, order=True)
class Difference:
    """One item of one aspect of one page that differs; `index` is the item's place."""

    page: str
    aspect: str
    index: int
    first: str
    second: str

    def __str__(self) -> str:
        first, second = _around_first_difference(self.first, self.second)
        return f"{self.page}: {self.aspect}[{self.index}]\n  - {first}\n  + {second}"


@dataclass(frozen=True)
class Comparison:
    #: Sorted: by page, then aspect, then place.
    differences: tuple[Difference, ...]
    #: How many items of each aspect each page of the first site has: what was compared.
    compared: dict[str, dict[str, int]]

    def unexplained(self) -> list[Difference]:
        """The differences no `ALLOWED` entry explains."""
        return [d for d in self.differences if (d.page, d.aspect) not in ALLOWED]

    def report(self) -> str:
        """Every difference, by page, each marked allowed (with why) or UNEXPLAINED."""
        lines = []
        for difference in self.differences:
            why = ALLOWED.get((difference.page, difference.aspect))
            lines.append(f"{'allowed: ' + why if why else 'UNEXPLAINED'}: {difference}")
        unexplained = len(self.unexplained())
        lines.append(f"{len(self.differences)} differences, {unexplained} not in ALLOWED")
        return "\n".join(lines)


def compare(first: Path, second: Path, project: Path) -> Comparison:
    """Every difference between two builds of `project`, page by page, aspect by aspect."""
    differences: list[Difference] = []
    files = _files(first), _files(second)
    for name in sorted(files[0] ^ files[1]):
        differences.append(
            Difference(name, "file", 0, str(name in files[0]), str(name in files[1]))
        )
    differences += _listed("sitemap.xml", "urls", _sitemap(first), _sitemap(second))
    renderer = Renderer(project)
    compared: dict[str, dict[str, int]] = {}
    for name in sorted(n for n in files[0] & files[1] if n.endswith(".html")):
        one = read_page((first / name).read_text(encoding="utf-8"), name)
        two = read_page((second / name).read_text(encoding="utf-8"), name)
        source = _source_of(project, name)
        if source is not None:
            expected = source_facts(renderer, project, source)
            one.facts |= shown_facts(one, expected, project)
            two.facts |= shown_facts(two, expected, project)
        compared[name] = {aspect: len(items) for aspect, items in one.facts.items()}
        for aspect, items in one.facts.items():
            differences += _listed(name, aspect, items, two.facts[aspect])
    return Comparison(tuple(sorted(differences)), compared)


@dataclass
class BuiltPage:
    #: Aspect name -> its items, in page order.
    facts: dict[str, list[str]]
    #: The text of each code block, as shown.
    code: set[str]


def read_page(html: str, name: str) -> BuiltPage:
    """What a built page (`name`, relative to the site) shows whichever builder made it."""
    page_url = urljoin(_BASE, name)
    soup = BeautifulSoup(html, "html.parser")
    description = soup.select_one("head meta[name=description]")
    canonical = soup.select_one("head link[rel=canonical]")
    article = _article(soup)
    blocks = [_code_block(pre) for pre in article.select("pre")]
    facts = {
        "title": [_text(soup.title)],
        "description": [_attribute(description, "content")],
        "canonical": [_attribute(canonical, "href")],
        "nav": _links(soup, "nav.md-nav--primary", page_url),
        "toc": _links(soup, "nav.md-nav--secondary", page_url),
        "headings": [
            f"{h.name}#{_attribute(h, 'id')} {_text(h)}"
            for h in article.find_all(re.compile(r"^h[1-6]$"))
            if isinstance(h, Tag)
        ],
        "code": [str(block) for block in blocks],
        "text": [_text(article)],
    }
    return BuiltPage(facts, {block.text for block in blocks})


@dataclass(frozen=True)
class SourceFacts:
    #: Each `{{ ... }}` of the page, once, in order, with the value it renders to.
    values: list[tuple[str, str]]
    #: Each included file's path, as rendered.
    includes: list[str]


def source_facts(renderer: Renderer, project: Path, source: str) -> SourceFacts:
    """What a page's Markdown source puts on the page: macro values and included files."""
    path = project / "docs" / source
    text = blank_front_matter(path.read_text(encoding="utf-8"))
    expressions = [m["expression"].strip() for m in _EXPRESSION.finditer(text)]
    marked = _EXPRESSION.sub(lambda m: f"{_OPEN}{m[0]}{_CLOSE}", text)
    rendered = renderer.render(marked, path=path)
    values = [m["value"] for m in _VALUE.finditer(rendered)]
    if len(values) != len(expressions):
        raise ValueError(f"{source}: {len(expressions)} expressions, {len(values)} values")
    includes = [m["path"] for m in _INCLUDE.finditer(_VALUE.sub(r"\g<value>", rendered))]
    # Each expression once, with its first value (a `{% set %}` could change it later).
    distinct: dict[str, str] = {}
    for expression, value in zip(expressions, values, strict=True):
        distinct.setdefault(expression, value)
    return SourceFacts(list(distinct.items()), includes)


def shown_facts(page: BuiltPage, source: SourceFacts, project: Path) -> dict[str, list[str]]:
    """How a built page shows what its source puts on it."""
    shown = page.facts["text"][0]
    return {
        "macro values": [
            f"{{{{ {expression} }}}} = {_shown(value, shown)}"
            for expression, value in source.values
        ],
        "unrendered Jinja": [str(shown.count("{{") + shown.count("{%"))],
        "included files": [
            f"{path}: "
            + ("shown whole" if _included(project / path) in page.code else "NOT shown whole")
            for path in source.includes
        ],
    }


def _shown(value: str, shown: str) -> str:
    """A value and how often the page's text shows it; for a multi-line value (a
    Markdown table), how many of its cells and lines the text shows."""
    if "\n" not in value:
        return f"{value!r} shown {shown.count(_squeezed(value))} times"
    pieces = [_squeezed(p.replace("`", "")) for p in re.split(r"[|\n]", value)]
    pieces = [p for p in pieces if p and not set(p) <= {"-", ":"}]
    found = sum(piece in shown for piece in pieces)
    return f"{len(value.splitlines())} lines, {found} of {len(pieces)} pieces shown"


def _included(path: Path) -> str:
    return path.read_text(encoding="utf-8").rstrip("\n")


def _listed(page: str, aspect: str, first: list[str], second: list[str]) -> list[Difference]:
    return [
        Difference(page, aspect, index, a, b)
        for index, (a, b) in enumerate(_padded(first, second))
        if a != b
    ]


def _padded(first: list[str], second: list[str]) -> Iterator[tuple[str, str]]:
    for index in range(max(len(first), len(second))):
        yield (
            first[index] if index < len(first) else "(none)",
            second[index] if index < len(second) else "(none)",
        )


def _squeezed(text: str) -> str:
    return _WHITESPACE.sub(" ", text).strip()


def _text(node: Tag | None) -> str:
    return "" if node is None else _squeezed(node.get_text())


def _attribute(node: Tag | None, name: str) -> str:
    value = None if node is None else node.get(name)
    return " ".join(value) if isinstance(value, list) else str(value or "")


def _article(soup: BeautifulSoup) -> Tag:
    article = soup.select_one("article.md-content__inner")
    if article is None:
        raise ValueError("no <article class=md-content__inner>: not a Material-like page")
    # The permalink mark of each heading (toc's own markup), and the skip link's
    # target, which Zensical puts inside the article and Material before it.
    for theme_only in article.select("a.headerlink, a#__skip"):
        theme_only.decompose()
    return article


def _links(soup: BeautifulSoup, selector: str, page_url: str) -> list[str]:
    return [
        f"{_text(link)} -> {_resolved(page_url, _attribute(link, 'href'))}"
        for link in soup.select(f"{selector} a.md-nav__link[href]")
    ]


def _resolved(page_url: str, href: str) -> str:
    url = urljoin(page_url, href)
    return url if "#" in url else url.removesuffix("index.html")


@dataclass(frozen=True)
class CodeBlock:
    #: `language-*` and `no-copy`, sorted: the theme's other classes may differ.
    classes: tuple[str, ...]
    #: What its copy button copies instead of the text (`data-copy`), if set.
    copy: str | None
    text: str

    def __str__(self) -> str:
        return f"{','.join(self.classes) or '-'} copy={self.copy!r} {self.text!r}"


def _code_block(pre: Tag) -> CodeBlock:
    wrapper = pre.find_parent("div", class_="highlight") or pre
    classes = [str(c) for c in wrapper.get_attribute_list("class")]
    code = pre.find("code")
    copy = wrapper.get("data-copy")
    return CodeBlock(
        tuple(sorted(c for c in classes if c.startswith("language-") or c == "no-copy")),
        None if copy is None else str(copy),
        (code if isinstance(code, Tag) else pre).get_text().rstrip("\n"),
    )


def _files(site: Path) -> set[str]:
    return {
        path.relative_to(site).as_posix()
        for path in site.rglob("*")
        if path.is_file() and path.relative_to(site).parts[0] != "assets"
    }


def _sitemap(site: Path) -> list[str]:
    locations = ET.parse(site / "sitemap.xml").iter(
        "{http://www.sitemaps.org/schemas/sitemap/0.9}loc"
    )
    return sorted((loc.text or "").strip() for loc in locations)


def _source_of(project: Path, name: str) -> str | None:
    """The docs/ Markdown file a built page comes from (directory URLs), if any."""
    stem = name.removesuffix("index.html").rstrip("/") or "index"
    for candidate in (f"{stem}.md", f"{stem}/index.md"):
        if (project / "docs" / candidate).is_file():
            return candidate
    return None


def _around_first_difference(first: str, second: str, width: int = 70) -> tuple[str, str]:
    """Long values cut to the neighbourhood of their first difference."""
    if max(len(first), len(second)) <= 2 * width:
        return first, second
    same = zip(first, second, strict=False)
    at = next((i for i, (a, b) in enumerate(same) if a != b), min(len(first), len(second)))
    start = max(0, at - width // 2)
    prefix = "..." if start else ""
    return (
        f"{prefix}{first[start : start + width]}...",
        f"{prefix}{second[start : start + width]}...",
    )


def main(argv: list[str]) -> int:
    if len(argv) == 2:
        comparison = compare(Path(argv[0]), Path(argv[1]), Path.cwd())
    elif not argv:
        with tempfile.TemporaryDirectory() as tmp:
            sites = []
            for builder in BUILDERS:
                project = copy_project(Path.cwd(), Path(tmp) / builder)
                done = build(builder, project)
                if done.returncode:
                    print(f"{builder} build failed:\n{done.stderr}", file=sys.stderr)
                    return 1
                sites.append(project / "site")
            comparison = compare(sites[0], sites[1], Path.cwd())
    else:
        print(__doc__, file=sys.stderr)
        return 2
    print(comparison.report())
    return 1 if comparison.unexplained() else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
