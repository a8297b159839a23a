"""What the doc-tests did with each code block: one record per block, the coverage
report (`test-artifacts/doc-blocks.json`) and the summary line computed from it.

A record holds the block's page and line, its language, its class (`executed`,
`validated`, `included+linted`, `exempt`, `in no class`) and finer kind, how many
commands it shows, the exemption's reason and the result of its check (`passed`,
`failed`, `skipped`, or `not run`: exempt, or deselected). The pages' verification
line (`guidetools.verification`) is computed from the same records, so what a reader
is told and what the suite did cannot differ.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Any

from guidetools.blocks import CLASSES, Block, Kind, classify
from guidetools.fences import Fence, scan

#: Where `make test` writes the report, under the project root.
REPORT = Path("test-artifacts/doc-blocks.json")
NOT_RUN = "not run"
#: A check's item name: `console[line:68]` (see `guidetools.pytest_plugin`).
_ITEM = re.compile(r"^(?P<page>[^:]+)::(?P<kind>[\w+-]+)\[line:(?P<line>\d+)\]$")
#: When one block has several checks (an exempt block's two validations), the worst wins.
_WORST = ("failed", "skipped", "passed", NOT_RUN)


@dataclass(frozen=True, slots=True)
class BlockRecord:
    page: str
    line: int
    language: str
    #: The block's class in the summary line (`Kind.label`).
    label: str
    #: Its finer kind (`Kind.slug`: `console`, `koyeb`, `counter-example`, ...).
    kind: str
    #: `$ ` commands of a console block; 0 for any other block.
    commands: int
    exempt_reason: str | None
    result: str = NOT_RUN

    def as_json(self) -> dict[str, Any]:
        record = asdict(self)
        record["class"] = record.pop("label")
        return record

    @classmethod
    def from_json(cls, record: dict[str, Any]) -> BlockRecord:
        fields = dict(record)
        fields["label"] = fields.pop("class")
        return cls(**fields)


def record(block: Block) -> BlockRecord:
    exempt = block.reason if block.kind is Kind.EXEMPT else None
    return BlockRecord(
        str(block.path),
        block.line,
        block.fence.language,
        block.kind.label,
        block.kind.slug,
        len(block.commands),
        exempt,
    )


def unrendered(fence: Fence) -> BlockRecord:
    """A block whose macros fail: in no class (its check fails with the error)."""
    kind = Kind.UNCLASSIFIED
    return BlockRecord(str(fence.path), fence.line, fence.language, kind.label, kind.slug, 0, None)


def fenced_records(path: Path, text: str) -> list[tuple[Fence, BlockRecord]]:
    """Each fence of a page and its block's record, from the page's text alone
    (rendered or not: a macro never changes a block's class or its number of
    commands). What the site shows."""
    return [(fence, record(classify(fence, fence.source))) for fence in scan(path, text).fences]


def page_records(path: Path, text: str) -> list[BlockRecord]:
    return [found for _, found in fenced_records(path, text)]


def block_at(nodeid: str) -> tuple[str, int] | None:
    """(page, line) of the block a check's test id is about, if it is a block's."""
    match = _ITEM.match(nodeid)
    return None if match is None else (match["page"], int(match["line"]))


def worst(a: str, b: str) -> str:
    return min(a, b, key=_WORST.index)


def with_results(
    records: Iterable[BlockRecord], results: dict[tuple[str, int], str]
) -> list[BlockRecord]:
    return [
        replace(r, result=results.get((r.page, r.line), NOT_RUN))
        for r in sorted(records, key=lambda r: (r.page, r.line))
    ]


def counts(records: Iterable[BlockRecord]) -> Counter[str]:
    return Counter(r.label for r in records)


def write(path: Path, records: Sequence[BlockRecord]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    blocks = [r.as_json() for r in records]
    path.write_text(json.dumps({"blocks": blocks}, indent=1) + "\n", encoding="utf-8")


def read(path: Path) -> list[BlockRecord]:
    data = json.loads(path.read_text(encoding="utf-8"))
    return [BlockRecord.from_json(r) for r in data["blocks"]]


def summary_line(counts: Counter[str]) -> str:
    """`docs: 41 code blocks, 28 executed, 9 validated, 3 included+linted, 1 exempt`,
    from the number of blocks of each class (`counts(records)`)."""
    parts = [f"{counts[label]} {label}" for label in CLASSES]
    unclassified = counts[Kind.UNCLASSIFIED.label]
    if unclassified:
        parts.append(f"{unclassified} {Kind.UNCLASSIFIED.label}")
    return f"docs: {sum(counts.values())} code blocks, " + ", ".join(parts)
