"""The contract as the guide shows it, in Markdown for the mkdocs-macros module: a page's
citation of an entry with its marker, the contract page's entries, its sources and the
fake's assumptions, and the table of deployment statuses.

A citation is a Markdown link to the contract page, relative to the citing page, so that
MkDocs checks it (`--strict` fails on a missing page or anchor); an entry no source
states gets a marker beside it, an `<abbr>` whose title says what it means.

```python
citation(load(), ("api-list-order",), "how-to/monitor.md")
# '(contract: [api-list-order](../reference/contract.md#api-list-order "...")'
# '{ .contract-ref } <abbr class="contract-mark contract-mark--inference" ...>inferred</abbr>)'
```
"""

from __future__ import annotations

import html
import posixpath
from collections.abc import Iterable
from dataclasses import dataclass

from cachebust._errors import ExitCode
from cachebust._models import FAILURE, SUCCESS
from guidetools.contract import (
    CONTRACT_PAGE,
    Assumption,
    CLICitation,
    Contract,
    Entry,
    OpenAPICitation,
)


@dataclass(frozen=True, slots=True)
class Marker:
    """What a citation shows beside an entry that no source states."""

    kind: str
    label: str
    title: str

    def html(self) -> str:
        return (
            f'<abbr class="contract-mark contract-mark--{self.kind}" '
            f'title="{html.escape(self.title)}">{self.label}</abbr>'
        )


MARKERS = {
    "inference": Marker(
        "inference",
        "inferred",
        "Inferred: no source states this; it follows from one. The contract entry says what "
        "would confirm it.",
    ),
    "unconfirmed": Marker(
        "unconfirmed",
        "unconfirmed",
        "Unconfirmed: neither the API document nor the official CLI states this. The contract "
        "entry says what would confirm it.",
    ),
    "assumption": Marker(
        "assumption",
        "assumption",
        "An assumption of the fake Koyeb API this guide is tested against, not a documented fact.",
    ),
}

_OBSERVABLE = {
    "read-only": "`cachebust contract` checks it, reading only",
    "redeploy": "`cachebust contract --redeploy APP/SERVICE` checks it, during one redeploy",
    "not": "not without harm: `cachebust contract` reports it as not observable",
}

#: What the sources say of a status besides its name, and the entry that says it.
_STATUS_NOTES = {
    "PENDING": ("the status's default value", "api-deployment-status"),
    "PROVISIONING": ("probably the status during which the image is built", "api-build-status"),
    "SCHEDULED": (
        "probably reached after the build and before the instances start",
        "api-deployment-lifecycle",
    ),
    "STASHED": ("`koyeb deployment list` leaves these deployments out", "cli-deployment-list"),
}


def marker(cited: Entry | Assumption) -> Marker | None:
    """The marker a citation of `cited` shows, or None for a confirmed entry."""
    if isinstance(cited, Assumption):
        return MARKERS["assumption"]
    return None if cited.status == "confirmed" else MARKERS[cited.status]


def link(anchor: str, page: str | None) -> str:
    """The contract page's `anchor`, relative to `page` (its path under docs/; None when
    rendered outside a site build, as the doc-tests do: then relative to docs/)."""
    start = posixpath.dirname(page) if page else ""
    return f"{posixpath.relpath(CONTRACT_PAGE, start or '.')}#{anchor}"


def citation(contract: Contract, anchors: Iterable[str], page: str | None) -> str:
    """`(contract: a; b)`: a link to each entry, each with its marker when it has one."""
    parts = []
    for anchor in anchors:
        cited = contract.cited(anchor)
        title = cited.title if isinstance(cited, Entry) else f"assumption {cited.name}"
        found = marker(cited)
        parts.append(
            f'[{anchor}]({link(anchor, page)} "{_attribute(title)}"){{ .contract-ref }}'
            + (f" {found.html()}" if found else "")
        )
    if not parts:
        raise ValueError("contract() needs at least one anchor")
    return f"(contract: {'; '.join(parts)})"


def sources(contract: Contract) -> str:
    """The two sources every entry cites, at their revisions."""
    doc = contract.document
    return "\n".join(
        [
            f"- **The OpenAPI document**, *{doc.openapi_title}*, `info.version` "
            f"{doc.openapi_version}: the document {doc.openapi_client} was generated from. "
            "Entries name its paths, parameters and schemas, or a section of its "
            "introduction; the tests check every name, and every quote of a path or a "
            f"schema, against {doc.openapi_client}.",
            f"- **The official CLI**, [{doc.cli_repository}](https://github.com/"
            f"{doc.cli_repository}) at commit `{doc.cli_commit[:8]}` ({doc.cli_release}). "
            "Entries name a file and a function of its source; the `koyeb` command lines "
            "they rest on are checked against the project's flag table, generated from the "
            "same commit (see below).",
        ]
    )


def entries(contract: Contract) -> str:
    """The contract page's entries: a section per topic, in the order of `topics`."""
    sections = []
    for topic, heading in contract.topics.items():
        blocks = [_entry(contract, e) for e in contract.entries if e.topic == topic]
        sections.append("\n\n".join([f"## {heading}", *blocks]))
    return "\n\n".join(sections)


def assumptions(contract: Contract) -> str:
    """The contract page's section on the fake's assumptions, one block each."""
    return "\n\n".join(_assumption(a) for a in contract.assumptions)


def status_table(contract: Contract, page: str | None) -> str:
    """Every deployment status: what the official CLI's `--wait` and `cachebust watch` do
    on it, and what the sources say of it beyond its name."""
    statuses = contract.entry("api-deployment-status")
    waiting = contract.entry("cli-wait-classification").wait
    if waiting is None:
        raise ValueError("cli-wait-classification has no `wait` sets")
    values = next(c.values for c in statuses.openapi if c.values)
    rows = [
        "| Status | `koyeb … --wait` | `cachebust watch` | What the sources say besides its name |",
        "|---|---|---|---|",
    ]
    for status in values:
        if status in waiting.failure:
            cli = "fails (exit 1)"
        elif status in waiting.in_progress:
            cli = "keeps waiting"
        else:
            cli = "succeeds (exit 0)"
        if status in SUCCESS:
            ours = f"succeeds (exit {int(ExitCode.OK)})"
        elif status in FAILURE:
            ours = f"fails (exit {int(ExitCode.DEPLOYMENT_FAILED)})"
        else:
            ours = "keeps waiting"
        note, anchor = _STATUS_NOTES.get(status, ("nothing", ""))
        said = f"{note} {citation(contract, (anchor,), page)}" if anchor else note
        rows.append(f"| `{status}` | {cli} | {ours} | {said} |")
    return "\n".join(rows)


def _entry(contract: Contract, entry: Entry) -> str:
    found = marker(entry)
    head = f"[`{entry.anchor}`](#{entry.anchor}){{ .contract-self }} **{entry.title}**" + (
        f" {found.html()}" if found else ""
    )
    lines = [f"- {_openapi(contract, c)}" for c in entry.openapi]
    lines += [f"- {_cli(contract, c)}" for c in entry.cli]
    if entry.confirm:
        lines.append(f"- **What would confirm it:** {entry.confirm}")
    if entry.fake:
        assumed = ", ".join(
            f"[`assume-{name}`](#assume-{name}){{ .contract-self }}" for name in entry.fake
        )
        lines.append(f"- **The fake assumes:** {assumed}")
    body = "\n".join(lines)
    return (
        f'<div class="contract-entry" id="{entry.anchor}" markdown>\n\n{head}\n\n'
        f"{entry.says}\n\n{body}\n\n</div>"
    )


def _assumption(assumption: Assumption) -> str:
    found = MARKERS["assumption"]
    values = ", ".join(
        f"`{v}`" + (" (default)" if v == assumption.default else "") for v in assumption.values
    )
    if assumption.switch:
        how = f"a switch: `cachebust fake-api --assumption {assumption.name}=VALUE`"
    else:
        how = "one behaviour, not a switch"
    observable = _OBSERVABLE.get(assumption.observable)
    if observable is None:
        raise ValueError(
            f"assumption {assumption.name}: unknown observable {assumption.observable!r}"
        )
    head = (
        f"[`{assumption.anchor}`](#{assumption.anchor}){{ .contract-self }} "
        f"{found.html()} {values}; {how}"
    )
    body = "\n".join(
        [
            f"- **The fake:** {assumption.says}",
            f"- **Otherwise:** {assumption.otherwise}",
            f"- **Why it is an assumption:** {assumption.source}",
            f"- **Observable:** {observable}",
        ]
    )
    return (
        f'<div class="contract-entry" id="{assumption.anchor}" markdown>\n\n{head}\n\n'
        f"{body}\n\n</div>"
    )


def _openapi(contract: Contract, c: OpenAPICitation) -> str:
    version = contract.document.openapi_version
    if c.path:
        place = f"`{c.path}`" + (f", parameters {_codes(c.parameters)}" if c.parameters else "")
    elif c.schema:
        place = f"schema `{c.schema}`"
        if c.fields:
            place += f", fields {_codes(c.fields)}"
        if c.values:
            place += f", values {_codes(c.values)}"
    elif c.servers:
        place = f"`servers`: `{c.servers}`"
    else:
        place = f"introduction, *{c.intro}*"
    quote = f': "{c.quote}"' if c.quote else ""
    return f"**OpenAPI** ({version}): {place}{quote}"


def _cli(contract: Contract, c: CLICitation) -> str:
    doc = contract.document
    if c.file:
        place = f"`{c.file}`, `{c.function}`"
        quote = f': "{c.quote}"' if c.quote else ""
        return f"**Official CLI** (`{doc.cli_commit[:8]}`): {place}{quote}"
    return f'**Official CLI**, commit `{c.commit[:7]}` (its message): "{c.quote}"'


def _codes(names: Iterable[str]) -> str:
    return ", ".join(f"`{name}`" for name in names)


def _attribute(text: str) -> str:
    """Text for a Markdown link title: no double quote to end it early, no code marks."""
    return text.replace('"', "'").replace("`", "")
