"""MkDocs hook: copy buttons on terminal sessions copy the commands, nothing else.

A `console` block shows `$ command` lines with their output below. Material's copy
button copies the `data-copy` attribute of the nearest element that has one instead
of the block's text, so `on_page_content` puts the commands there, as
`guidetools.transcript` reads them for the doc-tests: prompts removed, output
dropped, `\\`-continued lines kept. Counter-examples (the original guide's wrong
commands, fenced as `{.console .counter-example}`) get Material's `no-copy` class
instead: nobody should paste them.

`mkdocs.yml` loads this file by path (`hooks:`); it imports nothing from mkdocs.
"""

from __future__ import annotations

import html
import re
from typing import Any

from guidetools.transcript import commands

# The wrapper pymdownx.highlight writes around a highlighted `console` fence, up to
# and including its <code> content. Code blocks never nest, so the first </code> ends it.
_CONSOLE_BLOCK = re.compile(
    r'<div class="(?P<classes>language-console\b[^"]*)"(?P<rest>[^>]*)>'
    r"(?P<body>.*?<code[^>]*>(?P<code>.*?)</code>)",
    re.DOTALL,
)
_TAG = re.compile(r"<[^>]+>")


def _rewrite(match: re.Match[str]) -> str:
    classes, rest, body = match["classes"], match["rest"], match["body"]
    if "counter-example" in classes.split():
        return f'<div class="{classes} no-copy"{rest}>{body}'
    text = html.unescape(_TAG.sub("", match["code"]))
    copy = html.escape("\n".join(commands(text)), quote=True)
    return f'<div class="{classes}"{rest} data-copy="{copy}">{body}'


def on_page_content(html_text: str, **_: Any) -> str:
    """MkDocs event: rewrite every console block of a page after Markdown rendering."""
    return _CONSOLE_BLOCK.sub(_rewrite, html_text)
