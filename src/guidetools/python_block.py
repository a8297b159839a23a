"""A Python block of a page as a pytest item, run as a reader runs it.

The block (macros rendered, de-indented) is compiled with the page's path and keeps
its page line numbers, so a traceback points into the page. It runs in a fresh
namespace, as a script, with the `docs_koyeb_env` fixture applied: `KOYEB_URL` and
`KOYEB_TOKEN` name the fake, as they would a reader's account. A block fenced
```` ```{.python continuation} ```` runs after the page's previous Python block, as
one script with it. What a block prints is captured by pytest, as a test's output is.

The item is a `pytest.Function` made from a function that names the fixture: pytest's
public way to give an item fixtures.
"""

from __future__ import annotations

import traceback
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from guidetools.blocks import CONTINUATION, Block

if TYPE_CHECKING:
    from guidetools.guide import Koyeb


def script(block: Block, previous: str) -> str:
    """What runs for a block: the previous block's script first if it continues it, then
    blank lines up to the block's first page line, then the block."""
    prefix = previous if CONTINUATION in block.fence.options else ""
    return prefix + "\n" * (block.fence.line - prefix.count("\n")) + block.text + "\n"


class PythonBlock(pytest.Function):
    """One Python block; `source` is its script (see `script`)."""

    def __init__(self, *, block: Block, source: str, **kwargs: Any) -> None:
        self.block, self.source = block, source
        filename = str(kwargs["parent"].path)

        def run_block(docs_koyeb_env: Koyeb) -> None:
            code = compile(source, filename, "exec", dont_inherit=True)
            exec(code, {"__name__": "__main__"})

        super().__init__(callobj=run_block, **kwargs)
        self.filename = filename

    def reportinfo(self) -> tuple[Path, int, str]:
        return self.path, self.block.line - 1, self.name

    def repr_failure(  # type: ignore[override]
        self, excinfo: pytest.ExceptionInfo[BaseException]
    ) -> str:
        """The block with its page lines, and the traceback from the block on."""
        lines = self.source.splitlines()
        first = self.block.fence.first_line
        return "\n".join(
            [
                f"{self.block.path}:{self.block.line}: the Python block failed:",
                *(f"{number:>5}  {lines[number - 1]}" for number in range(first, len(lines) + 1)),
                "Traceback (most recent call last):",
                *self._frames(excinfo, lines),
                excinfo.exconly(),
            ]
        )

    def _frames(self, excinfo: pytest.ExceptionInfo[BaseException], lines: list[str]) -> list[str]:
        """The traceback's frames from the first one in the page, each with its line (the
        rendered one, for a line of the page)."""
        frames = traceback.extract_tb(excinfo.tb)
        start = next((i for i, f in enumerate(frames) if f.filename == self.filename), len(frames))
        shown = []
        for frame in frames[start:]:
            code = frame.line
            if frame.filename == self.filename and frame.lineno:
                code = lines[frame.lineno - 1]
            shown += [
                f'  File "{frame.filename}", line {frame.lineno}, in {frame.name}',
                f"    {(code or '').strip()}",
            ]
        return shown
