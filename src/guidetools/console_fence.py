"""The `console` fence: copy buttons on terminal sessions copy the commands, nothing else.

A `console` block shows `$ command` lines with their output below. The copy button of
Material for MkDocs and of Zensical (the same bundled code) copies the `data-copy`
attribute of the nearest element that has one instead of the block's text, so this
formatter puts the commands there, as `guidetools.transcript` reads them for the
doc-tests: prompts removed, output dropped, `\\`-continued lines kept. Counter-examples
(the original guide's wrong commands, fenced as `{.console .counter-example}`) get the
themes' `no-copy` class instead: nobody should paste them.

It is a `pymdownx.superfences` custom fence formatter (`mkdocs.yml`,
`custom_fences`), so it runs inside Python-Markdown, under every builder that renders
the pages with SuperFences: MkDocs and Zensical alike. (A MkDocs hook would not do:
Zensical ignores `hooks:` without a word.)
"""

from __future__ import annotations

import html
from typing import Any

from guidetools.transcript import commands


def format_console(
    src: str,
    language: str,
    class_name: str,
    options: dict[str, Any],
    md: Any,  # markdown.Markdown: the package ships no type information
    **kwargs: Any,
) -> str:
    """SuperFences `format` for `console`: highlighted as any fence, plus the copy rule."""
    classes: list[str] = list(kwargs["classes"])
    attrs: dict[str, str] = dict(kwargs["attrs"])
    if "counter-example" in classes:
        classes.append("no-copy")
    else:
        # pymdownx.highlight writes attribute values as given: escaping is ours.
        attrs["data-copy"] = html.escape("\n".join(commands(src)), quote=True)
    # SuperFences' own formatter for every other fence, so console blocks are
    # highlighted (titles, hl_lines, language class) exactly as before.
    highlight: Any = md.preprocessors["fenced_code_block"].highlight
    block: str = highlight(
        src=src,
        language=language,
        options=options,
        md=md,
        classes=classes,
        id_value=kwargs["id_value"],
        attrs=attrs,
    )
    return block
