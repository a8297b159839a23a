"""guidetools.inline_code: the hyphenated words of inline code are wrapped, whole, and
nothing else changes."""

from __future__ import annotations

import re

import markdown

EXTENSIONS = ["pymdownx.highlight", "pymdownx.inlinehilite", "pymdownx.superfences", "tables"]


def _html(text: str, *, plain: bool = False) -> str:
    extensions = ["guidetools.inline_code"] if plain else [*EXTENSIONS, "guidetools.inline_code"]
    return str(markdown.markdown(text, extensions=extensions))


def _text(html: str) -> str:
    return re.sub(r"<[^>]+>", "", html)


def test_flags_and_hyphenated_names_are_wrapped_whole() -> None:
    for plain in (False, True):  # with inlinehilite (the site) and with Markdown's own code
        html = _html(
            "Run `--use-cache`, then `koyeb service update harvestconnect-backend/api "
            '--docker-args "--build-arg X=1"` and `-a`.',
            plain=plain,
        )
        words = re.findall(r'<span class="cb-nobreak">([^<]*)</span>', html)
        quote = "&quot;" if "&quot;" in html else '"'
        assert words == [
            "--use-cache",
            "harvestconnect-backend/api",
            "--docker-args",
            f"{quote}--build-arg",
            "-a",
        ], html


def test_the_text_is_unchanged() -> None:
    source = "`--wait-timeout=10m` and `a b-c d` and `plain`"
    assert _text(_html(source)) == _text(str(markdown.markdown(source, extensions=EXTENSIONS)))


def test_long_words_and_code_blocks_keep_their_break_points() -> None:
    long_word = "https://example.com/a-long-path/with-hyphens"
    html = _html(f"`{long_word}`\n\n```console\n$ koyeb service redeploy --use-cache\n```\n")
    assert "cb-nobreak" not in html
    assert long_word in html
