"""The platform contract: every fact about Koyeb that the guide, the `cachebust` CLI or
the fake Koyeb API rely on, and the fake's assumptions.

The facts are data, `contract.yaml` beside this module: one entry each, with a stable
anchor (`api-...`, `cli-...`), what it says, and its sources (the OpenAPI document, the
official CLI), or what would confirm it. The fake's assumptions come from its registry,
`cachebust.fake._assumptions` (anchors `assume-<name>`). `load()` reads both and checks
their shape, so a malformed entry fails the site build, and `Contract.cited()` is what a
page's citation resolves to: an anchor that does not exist raises.

Pages cite the contract only through the `contract()` macro, which renders the link and,
for an entry no source states, its marker. `hand_written_links()` finds the links into
the contract page that bypass it.

```python
contract = load()
contract.cited("api-list-order").status   # "inference"
```
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, Literal, cast

from cachebust._errors import ConfigError
from guidetools import yaml_files

#: The contract page, as MkDocs names it (relative to docs/).
CONTRACT_PAGE = "reference/contract.md"
#: The contract's data.
CONTRACT_YAML = Path(__file__).with_name("contract.yaml")
#: An entry's anchor: `api-` for what the API does, `cli-` for the official CLI.
ANCHOR = re.compile(r"(?:api|cli)-[a-z0-9]+(?:-[a-z0-9]+)*")
#: An anchor as code cites it, `contract: api-list-order` (an `assume-<name>` placeholder is
#: not one).
CODE_CITATION = re.compile(r"contract: ((?:api|cli|assume)-[a-z0-9]+(?:-[a-z0-9]+)*)")

Status = Literal["confirmed", "inference", "unconfirmed"]
_STATUSES: tuple[Status, ...] = ("confirmed", "inference", "unconfirmed")
#: A link to an entry written by hand: to the contract page's file or built URL with an
#: entry's anchor, or, on the page itself, to the anchor alone. (A link to one of its
#: sections, such as `contract.md#sources`, is not a citation.)
_HAND_WRITTEN = re.compile(r"(?:contract(?:\.md|/|/index\.html)|\(|[\"'])#(?:api|cli|assume)-")
#: The registry of the fake's assumptions.
_REGISTRY = "cachebust.fake._assumptions"


@dataclass(frozen=True, slots=True)
class OpenAPICitation:
    """A place in the OpenAPI document: an operation, a schema, its servers, or a
    section of its introduction; `quote` is what it says there."""

    path: str = ""
    parameters: tuple[str, ...] = ()
    schema: str = ""
    fields: tuple[str, ...] = ()
    values: tuple[str, ...] = ()
    servers: str = ""
    intro: str = ""
    quote: str = ""


@dataclass(frozen=True, slots=True)
class CLICitation:
    """A place in the official CLI's source (a file and a function), or a commit of it
    whose message says something (`commit`)."""

    file: str = ""
    function: str = ""
    commit: str = ""
    quote: str = ""


@dataclass(frozen=True, slots=True)
class WaitSets:
    """How the official CLI's `--wait` judges a status: failure, in progress, else success."""

    failure: tuple[str, ...]
    in_progress: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Entry:
    """One platform fact."""

    anchor: str
    topic: str
    title: str
    status: Status
    says: str
    openapi: tuple[OpenAPICitation, ...] = ()
    cli: tuple[CLICitation, ...] = ()
    #: `koyeb` command lines the entry says the official CLI accepts, or rejects.
    accepts: tuple[str, ...] = ()
    rejects: tuple[str, ...] = ()
    #: For an inference or an unconfirmed entry: what would confirm it.
    confirm: str = ""
    #: The names of the fake's assumptions about it.
    fake: tuple[str, ...] = ()
    wait: WaitSets | None = None


@dataclass(frozen=True, slots=True)
class Assumption:
    """One of the fake's assumptions, as its registry gives it."""

    name: str
    values: tuple[str, ...]
    default: str
    anchor: str
    says: str
    otherwise: str
    #: How `cachebust contract` can observe it: "read-only", "redeploy" or "not".
    observable: str
    source: str

    @property
    def switch(self) -> bool:
        """Whether `cachebust fake-api --assumption` can flip it."""
        return len(self.values) > 1


@dataclass(frozen=True, slots=True)
class Document:
    """The two sources the entries cite, at the revisions they were read at."""

    openapi_title: str
    openapi_version: str
    openapi_client: str
    cli_repository: str
    cli_release: str
    cli_commit: str


@dataclass(frozen=True, slots=True)
class Contract:
    document: Document
    #: Topic key -> heading, in page order.
    topics: Mapping[str, str]
    entries: tuple[Entry, ...]
    assumptions: tuple[Assumption, ...]
    #: Where the assumptions came from: the fake's registry.
    registry: str

    def anchors(self) -> list[str]:
        """Every anchor of the contract page's entries and assumptions, in page order."""
        return [e.anchor for e in self.entries] + [a.anchor for a in self.assumptions]

    def cited(self, anchor: str) -> Entry | Assumption:
        """The entry or assumption a citation of `anchor` links to."""
        items: list[Entry | Assumption] = [*self.entries, *self.assumptions]
        for item in items:
            if item.anchor == anchor:
                return item
        raise ConfigError(
            what=f"The contract has no entry {anchor!r}.",
            why=f"{CONTRACT_PAGE} lists the entries of src/guidetools/contract.yaml and the "
            f"fake's assumptions ({self.registry}); none has that anchor.",
            fix="Cite an existing anchor (the contract page lists them), or add the entry "
            "to src/guidetools/contract.yaml with its source.",
        )

    def entry(self, anchor: str) -> Entry:
        found = self.cited(anchor)
        if not isinstance(found, Entry):
            raise ConfigError(
                what=f"{anchor} is one of the fake's assumptions, not a platform fact.",
                why="Only an entry of src/guidetools/contract.yaml has sources to show here.",
                fix="Name an entry of src/guidetools/contract.yaml.",
            )
        return found


@cache
def load(path: Path = CONTRACT_YAML) -> Contract:
    """The contract in `path`, with the fake's assumptions; raises ConfigError for an
    entry that is malformed or names an assumption the registry does not have."""
    where = path.name
    data = _mapping(yaml_files.load(path), where)
    _only(data, {"document", "topics", "entries"}, where)
    registry, assumptions = _assumptions()
    topics = {
        str(k): _text(v, f"{where}: topic {k}") for k, v in _mapping(data["topics"], where).items()
    }
    contract = Contract(
        document=_document(_mapping(data["document"], f"{where}: document")),
        topics=topics,
        entries=tuple(_entry(item, where) for item in _list(data["entries"], where)),
        assumptions=assumptions,
        registry=registry,
    )
    _check(contract, where)
    return contract


def hand_written_links(path: Path, text: str) -> list[str]:
    """Links into the contract page that a page writes by hand instead of citing with
    `{{ contract("anchor") }}`: they would show no marker for an unconfirmed entry."""
    return [
        f"{path}:{number}: links to a contract entry by hand ({found[0]!r}); cite it with "
        '{{ contract("ANCHOR") }}, which also shows whether the entry is confirmed'
        for number, line in enumerate(text.splitlines(), 1)
        for found in _HAND_WRITTEN.finditer(line)
    ]


def code_citations(text: str) -> list[tuple[int, str]]:
    """(line, anchor) of every `contract: ANCHOR` in a source file's text."""
    return [
        (number, match[1])
        for number, line in enumerate(text.splitlines(), 1)
        for match in CODE_CITATION.finditer(line)
    ]


def _assumptions() -> tuple[str, tuple[Assumption, ...]]:
    """The fake's assumption registry, as records."""
    module = importlib.import_module(_REGISTRY)
    return _REGISTRY, tuple(_assumption(item, _REGISTRY) for item in module.ASSUMPTIONS)


def _assumption(item: object, registry: str) -> Assumption:
    where = f"{registry}: {getattr(item, 'name', item)!r}"
    values = getattr(item, "values", None)
    if not isinstance(values, tuple) or not values or not all(isinstance(v, str) for v in values):
        raise ConfigError(
            what=f"{where} has no values.",
            why="Each assumption needs the values the fake can take, its default first.",
            fix=f"Give it a non-empty tuple of strings in {registry}.",
        )
    fields = {
        name: _text(getattr(item, name, None), f"{where}: {name}")
        for name in ("name", "default", "anchor", "says", "otherwise", "observable", "source")
    }
    return Assumption(values=cast(tuple[str, ...], values), **fields)


def _document(data: Mapping[str, Any]) -> Document:
    openapi = _mapping(data.get("openapi"), "document.openapi")
    cli = _mapping(data.get("cli"), "document.cli")
    return Document(
        openapi_title=_text(openapi.get("title"), "document.openapi.title"),
        openapi_version=_text(openapi.get("version"), "document.openapi.version"),
        openapi_client=_text(openapi.get("client"), "document.openapi.client"),
        cli_repository=_text(cli.get("repository"), "document.cli.repository"),
        cli_release=_text(cli.get("release"), "document.cli.release"),
        cli_commit=_text(cli.get("commit"), "document.cli.commit"),
    )


_ENTRY_KEYS = {
    "anchor", "topic", "title", "status", "says", "openapi", "cli", "accepts", "rejects",
    "confirm", "fake", "wait",
}  # fmt: skip
_OPENAPI_KEYS = {"path", "parameters", "schema", "fields", "values", "servers", "intro", "quote"}
_CLI_KEYS = {"file", "function", "commit", "quote"}


def _entry(item: object, where: str) -> Entry:
    data = _mapping(item, where)
    anchor = _text(data.get("anchor"), f"{where}: an entry's anchor")
    here = f"{where}: {anchor}"
    _only(data, _ENTRY_KEYS, here)
    status = _text(data.get("status"), f"{here}: status")
    if status not in _STATUSES:
        raise ConfigError(
            what=f"{here}: unknown status {status!r}.",
            why=f"An entry's status is one of {', '.join(_STATUSES)}.",
            fix="Use confirmed only when a cited source states it.",
        )
    wait = data.get("wait")
    return Entry(
        anchor=anchor,
        topic=_text(data.get("topic"), f"{here}: topic"),
        title=_text(data.get("title"), f"{here}: title"),
        status=status,
        says=_text(data.get("says"), f"{here}: says"),
        openapi=tuple(_openapi(c, here) for c in _list(data.get("openapi", []), here)),
        cli=tuple(_cli(c, here) for c in _list(data.get("cli", []), here)),
        accepts=_texts(data.get("accepts", []), f"{here}: accepts"),
        rejects=_texts(data.get("rejects", []), f"{here}: rejects"),
        confirm=str(data.get("confirm", "")),
        fake=_texts(data.get("fake", []), f"{here}: fake"),
        wait=None if wait is None else _wait(_mapping(wait, f"{here}: wait"), here),
    )


def _openapi(item: object, where: str) -> OpenAPICitation:
    data = _mapping(item, f"{where}: openapi")
    _only(data, _OPENAPI_KEYS, f"{where}: openapi")
    citation = OpenAPICitation(
        path=str(data.get("path", "")),
        parameters=_texts(data.get("parameters", []), f"{where}: parameters"),
        schema=str(data.get("schema", "")),
        fields=_texts(data.get("fields", []), f"{where}: fields"),
        values=_texts(data.get("values", []), f"{where}: values"),
        servers=str(data.get("servers", "")),
        intro=str(data.get("intro", "")),
        quote=str(data.get("quote", "")),
    )
    if (
        sum(
            bool(place)
            for place in (citation.path, citation.schema, citation.servers, citation.intro)
        )
        != 1
    ):
        raise ConfigError(
            what=f"{where}: an OpenAPI citation names {sorted(data)}.",
            why="Each names exactly one place: a path, a schema, the servers or a section of "
            "the introduction.",
            fix="Split it into one citation per place.",
        )
    return citation


def _cli(item: object, where: str) -> CLICitation:
    data = _mapping(item, f"{where}: cli")
    _only(data, _CLI_KEYS, f"{where}: cli")
    citation = CLICitation(**{key: str(data.get(key, "")) for key in _CLI_KEYS})
    if not (citation.file and citation.function) and not (citation.commit and citation.quote):
        raise ConfigError(
            what=f"{where}: a CLI citation names {sorted(data)}.",
            why="It names a file and a function of the source, or a commit and what its "
            "message says.",
            fix="Add the file and the function (or the commit and the quote).",
        )
    return citation


def _wait(data: Mapping[str, Any], where: str) -> WaitSets:
    _only(data, {"failure", "in_progress"}, f"{where}: wait")
    return WaitSets(
        failure=_texts(data.get("failure"), f"{where}: wait.failure"),
        in_progress=_texts(data.get("in_progress"), f"{where}: wait.in_progress"),
    )


def _check(contract: Contract, where: str) -> None:
    """What a single entry cannot check: unique anchors, known topics and assumptions,
    and a source for every confirmed entry."""
    seen: set[str] = set()
    names = {a.name for a in contract.assumptions}
    for entry in contract.entries:
        here = f"{where}: {entry.anchor}"
        problems = []
        if not ANCHOR.fullmatch(entry.anchor):
            problems.append("the anchor is not `api-...` or `cli-...` in lowercase words")
        if entry.anchor in seen:
            problems.append("the anchor is used twice")
        seen.add(entry.anchor)
        if entry.topic not in contract.topics:
            problems.append(f"unknown topic {entry.topic!r}")
        if entry.status == "confirmed" and not (entry.openapi or entry.cli):
            problems.append("a confirmed entry needs an OpenAPI or a CLI citation")
        if entry.status != "confirmed" and not entry.confirm:
            problems.append(f"an entry that is {entry.status} needs `confirm`")
        unknown = sorted(set(entry.fake) - names)
        if unknown:
            problems.append(f"the fake has no assumption {', '.join(unknown)}")
        if problems:
            raise ConfigError(
                what=f"{here}: {'; '.join(problems)}.",
                why="Every entry has a unique anchor, a known topic, and a source or what "
                "would confirm it.",
                fix="Fix the entry in src/guidetools/contract.yaml.",
            )


def _only(data: Mapping[str, Any], allowed: set[str], where: str) -> None:
    unknown = sorted(set(data) - allowed)
    if unknown:
        raise ConfigError(
            what=f"{where}: unknown key(s) {', '.join(unknown)}.",
            why=f"The keys allowed here are {', '.join(sorted(allowed))}.",
            fix="Fix the spelling, or see the key list at the top of contract.yaml.",
        )


def _mapping(value: object, where: str) -> Mapping[str, Any]:
    if not isinstance(value, dict):
        raise ConfigError(
            what=f"{where} is not a mapping.",
            why=f"Found {type(value).__name__}.",
            fix="Write it as `key: value` lines.",
        )
    return cast(Mapping[str, Any], value)


def _list(value: object, where: str) -> Sequence[object]:
    if not isinstance(value, list):
        raise ConfigError(
            what=f"{where} is not a list.",
            why=f"Found {type(value).__name__}.",
            fix="Write it as `- item` lines.",
        )
    return cast(Sequence[object], value)


def _text(value: object, where: str) -> str:
    if not isinstance(value, str | int | float) or isinstance(value, bool) or not str(value):
        raise ConfigError(
            what=f"{where} is missing or empty.",
            why="It must be some text.",
            fix="Give it a value.",
        )
    return str(value)


def _texts(value: object, where: str) -> tuple[str, ...]:
    return tuple(_text(item, where) for item in _list(value, where))
