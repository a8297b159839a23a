"""Rendering page text exactly as the site does, without either builder's plugins.

Both builders render a page's macros with a plain Jinja environment: mkdocs-macros
under MkDocs, Zensical's own macros extension under Zensical, each with Jinja's
default delimiters, `StrictUndefined` for `mkdocs.yml`'s `on_undefined: strict`, the
page's front matter, and the names `guidetools.macros.define_env` registers. This
module builds that environment from `guidetools.macros.page_globals`, so the
doc-tests read the pages with the values the reader sees whichever builder ships the
site, and import neither. (`tests/site` checks that `mkdocs.yml` still asks for
these settings.)

Blocks are rendered one by one, so the page's line numbers stay exact even where a
macro expands to several lines; `page_problem` renders the whole page as the site
does and checks that each block reads the same there.
"""

from __future__ import annotations

import traceback
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import jinja2

from cachebust._config import load
from guidetools.fences import Fence, blank_front_matter, front_matter
from guidetools.macros import page_globals


class RenderError(Exception):
    """A page or block whose macros fail; `line` is the page line when known."""

    def __init__(self, path: Path, line: int | None, message: str) -> None:
        self.path, self.line, self.message = path, line, message
        where = f"{path}:{line}" if line else str(path)
        super().__init__(f"{where}: the macros do not render: {message}")


class Renderer:
    """The site's Jinja environment and names for one project (its `[tool.cachebust]`)."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.env = jinja2.Environment(undefined=jinja2.StrictUndefined)
        self.variables: Mapping[str, Any] = page_globals(load(root))

    def render(self, source: str, *, path: Path, first_line: int = 1) -> str:
        """One piece of a page (a block's content, a code span), rendered."""
        try:
            return self.env.from_string(source).render(**self.variables)
        except Exception as exc:  # any macro failure is a page failure, reported as one
            line = _template_line(exc)
            raise RenderError(
                path, None if line is None else first_line + line - 1, _message(exc)
            ) from exc

    def page_problem(self, path: Path, text: str, fences: Iterable[Fence]) -> str | None:
        """Why the whole page does not render as the blocks did, or None."""
        body = blank_front_matter(text)
        try:
            page = self.env.from_string(body).render(**{**self.variables, **front_matter(text)})
        except Exception as exc:  # reported with the page line
            return str(RenderError(path, _template_line(exc), _message(exc)))
        shown = _trailing_spaces_dropped(page)
        for fence in fences:
            block = self.render(fence.source, path=path, first_line=fence.first_line)
            indented = "\n".join(f"{' ' * fence.indent}{line}" for line in block.splitlines())
            if _trailing_spaces_dropped(indented) not in shown:
                return (
                    f"{path}:{fence.line}: the block reads differently on the page than "
                    "rendered alone (does it use a variable set by the page?)"
                )
        return None


def _trailing_spaces_dropped(text: str) -> str:
    """The text with trailing spaces dropped (blank lines in a nested block carry none)."""
    return "\n".join(line.rstrip() for line in text.splitlines())


def _template_line(exc: BaseException) -> int | None:
    if isinstance(exc, jinja2.TemplateSyntaxError):
        return exc.lineno
    frames = traceback.extract_tb(exc.__traceback__)
    lines = [frame.lineno for frame in frames if frame.filename == "<template>"]
    return lines[-1] if lines else None


def _message(exc: BaseException) -> str:
    # CachebustError (e.g. dockerfile_lines' ConfigError) carries what/why/fix.
    parts = [getattr(exc, name, None) for name in ("what", "why", "fix")]
    if all(isinstance(part, str) for part in parts):
        return " ".join(str(part) for part in parts)
    return f"{type(exc).__name__}: {exc}"
