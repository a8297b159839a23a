"""The platform contract (`src/guidetools/contract.yaml`, docs/reference/contract.md): its
entries are well formed and their citations check out against what the project can read
(koyeb-sdk, generated from the OpenAPI document, and the official CLI's flag table); pages
cite it only through the `contract()` macro; code cites only anchors that exist."""

from __future__ import annotations

import ast
import importlib.metadata
import inspect
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pytest
import yaml

from cachebust._errors import ConfigError
from cachebust._koyeb_cli import Invalid, KoyebCommand, ProblemKind, validate_text
from cachebust._models import DeploymentStatus
from cachebust.fake._schemas import model_names, sdk_class, sdk_folder, sdk_module
from guidetools.checks import page_checks, run_checks
from guidetools.contract import (
    CONTRACT_YAML,
    Contract,
    code_citations,
    hand_written_links,
    load,
)
from guidetools.contract_markdown import MARKERS, citation, link, marker
from guidetools.guide import Guide
from guidetools.koyeb import prose_problems

MANUAL = "docs/how-to/manual.md"


@pytest.fixture(scope="module")
def contract() -> Contract:
    return load()


# -- pages cite the contract through the macro ---------------------------------------------


def test_a_page_citing_a_missing_entry_fails_and_names_the_line(
    project_copy: Callable[..., Path], guides: Callable[[Path], Guide]
) -> None:
    root = project_copy()
    page = root / MANUAL
    lines = page.read_text().splitlines()
    lines.insert(8, 'Koyeb does this {{ contract("api-no-such-entry") }}.')
    page.write_text("\n".join(lines) + "\n")

    problems = run_checks(page_checks(guides(root), page))

    missing = [p for p in problems if "api-no-such-entry" in p]
    assert missing, problems
    assert all(p.startswith(f"{MANUAL}:9: the macros do not render") for p in missing), missing


def test_a_hand_written_link_to_an_entry_fails(
    project_copy: Callable[..., Path], guides: Callable[[Path], Guide]
) -> None:
    root = project_copy()
    page = root / MANUAL
    text = page.read_text()
    page.write_text(text + "\nSee [the order](../reference/contract.md#api-list-order).\n")
    line = len(text.splitlines()) + 2

    problems = run_checks(page_checks(guides(root), page))

    assert [p for p in problems if "by hand" in p] == [
        f"{MANUAL}:{line}: links to a contract entry by hand ('contract.md#api-'); cite it "
        'with {{ contract("ANCHOR") }}, which also shows whether the entry is confirmed'
    ]


@pytest.mark.parametrize(
    "line",
    [
        "[order](../reference/contract.md#api-list-order)",
        "[order](../reference/contract/#cli-wait-classification)",
        '<a href="../reference/contract/index.html#assume-scheduled">x</a>',
        "[order](#api-list-order)",
        '<a href="#cli-logs-flags">x</a>',
        "[order]: ../reference/contract.md#api-list-order",
    ],
)
def test_hand_written_links_are_found_in_every_form(line: str) -> None:
    assert len(hand_written_links(Path("p.md"), f"text\n{line}\n")) == 1


@pytest.mark.parametrize(
    "line",
    [
        '{{ contract("api-list-order") }}',
        "[how to check](../reference/contract.md#checking-the-contract-on-a-real-account)",
        "[contract](../reference/contract.md)",
        "[tabs](#the-statuses-a-deployment-can-have)",
    ],
)
def test_citations_and_links_to_sections_are_not_hand_written_links(line: str) -> None:
    assert hand_written_links(Path("p.md"), line) == []


def test_the_macro_refuses_an_unknown_anchor(contract: Contract) -> None:
    with pytest.raises(ConfigError, match="no entry 'api-no-such-entry'"):
        citation(contract, ("api-list-order", "api-no-such-entry"), "index.md")


def test_a_citation_links_relative_to_the_page_and_marks_what_no_source_states(
    contract: Contract,
) -> None:
    assert link("api-redeploy", "how-to/manual.md") == "../reference/contract.md#api-redeploy"
    assert link("api-redeploy", "index.md") == "reference/contract.md#api-redeploy"
    assert link("api-redeploy", "reference/contract.md") == "contract.md#api-redeploy"
    assert link("api-redeploy", None) == "reference/contract.md#api-redeploy"

    confirmed = citation(contract, ("api-redeploy",), "index.md")
    assert confirmed.startswith("(contract: [api-redeploy](reference/contract.md#api-redeploy ")
    assert "{ .contract-ref }" in confirmed and "<abbr" not in confirmed
    for anchor, kind in (
        ("api-list-order", "inference"),
        ("api-build-log-format", "unconfirmed"),
        ("assume-build-log-format", "assumption"),
    ):
        cited = citation(contract, (anchor,), "index.md")
        assert cited.endswith("{ .contract-ref } " + MARKERS[kind].html() + ")"), cited
    both = citation(contract, ("api-redeploy", "api-skip-cache"), "index.md")
    assert both.count(".contract-ref") == 2 and both.count(MARKERS["unconfirmed"].html()) == 1


def test_markers_follow_the_status(contract: Contract) -> None:
    for entry in contract.entries:
        found = marker(entry)
        assert (found is None) == (entry.status == "confirmed"), entry.anchor
    assert all(marker(a) == MARKERS["assumption"] for a in contract.assumptions)


# -- code cites existing anchors ----------------------------------------------------------


def test_every_contract_anchor_cited_in_the_code_exists(
    repo_root: Path, contract: Contract
) -> None:
    anchors = set(contract.anchors())
    cited = [
        (f"{path.relative_to(repo_root)}:{line}", anchor)
        for path in sorted((repo_root / "src").rglob("*.py"))
        for line, anchor in code_citations(path.read_text(encoding="utf-8"))
    ]
    assert [(where, anchor) for where, anchor in cited if anchor not in anchors] == []


def test_the_code_citation_scanner_finds_anchors_and_skips_placeholders() -> None:
    text = (
        "# newest first (contract: api-list-order)\n"
        '"""Cited as `contract: assume-<name>`."""\n'
        "x = 1  # contract: assume-build-log-format; contract: cli-wait-classification\n"
    )
    assert code_citations(text) == [
        (1, "api-list-order"),
        (3, "assume-build-log-format"),
        (3, "cli-wait-classification"),
    ]


# -- the entries are well formed ------------------------------------------------------------


def test_every_entry_has_a_source_or_says_what_would_confirm_it(contract: Contract) -> None:
    assert len(contract.entries) >= 40
    assert len(set(contract.anchors())) == len(contract.anchors())
    for entry in contract.entries:
        if entry.status == "confirmed":
            assert entry.openapi or entry.cli, entry.anchor
        else:
            assert entry.confirm, entry.anchor
    assert {e.topic for e in contract.entries} == set(contract.topics)


def _broken(tmp_path: Path, change: Callable[[dict[str, object]], None]) -> Path:
    data = yaml.safe_load(CONTRACT_YAML.read_text(encoding="utf-8"))
    change(data)
    path = tmp_path / "contract.yaml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    return path


def _first(data: dict[str, object]) -> dict[str, object]:
    entries = data["entries"]
    assert isinstance(entries, list)
    first: dict[str, object] = entries[0]
    return first


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: _first(d).update(openapi=[], cli=[]), "a confirmed entry needs"),
        (lambda d: _first(d).update(status="unconfirmed"), "needs `confirm`"),
        (lambda d: _first(d).update(status="likely"), "unknown status 'likely'"),
        (lambda d: _first(d).update(anchor="api-redeploy"), "the anchor is used twice"),
        (lambda d: _first(d).update(anchor="Auth_Bearer"), "the anchor is not"),
        (lambda d: _first(d).update(topic="misc"), "unknown topic 'misc'"),
        (lambda d: _first(d).update(fake=["no-such-switch"]), "no assumption no-such-switch"),
        (lambda d: _first(d).update(source="notes"), "unknown key(s) source"),
        (
            lambda d: _first(d).update(cli=[{"file": "pkg/koyeb/services.go"}]),
            "a CLI citation names",
        ),
        (
            lambda d: _first(d).update(openapi=[{"path": "GET /v1/apps", "schema": "App"}]),
            "an OpenAPI citation names",
        ),
    ],
)
def test_a_malformed_entry_is_refused(
    tmp_path: Path, change: Callable[[dict[str, object]], None], message: str
) -> None:
    with pytest.raises(ConfigError) as refused:
        load(_broken(tmp_path, change))
    assert message in str(refused.value.what), refused.value.what


# -- OpenAPI citations, checked against koyeb-sdk (generated from the document) ---------------
# koyeb-sdk is read without importing it whole, which takes seconds (its API clients):
# models and modules come in through the fake's importer (cachebust.fake._schemas), the
# API clients' operations are read from their source.


def _model(schema: str) -> type:
    """koyeb-sdk's class for a schema: `RedeployRequest.Info` -> RedeployRequestInfo."""
    name = "".join(part[:1].upper() + part[1:] for part in schema.split("."))
    assert name in model_names(), f"koyeb-sdk has no model {name} for schema {schema}"
    return sdk_class(name)


@dataclass(frozen=True)
class _Operation:
    source: str
    """The whole source of the API client module that has the operation."""
    parameters: tuple[str, ...]


@cache
def _operations() -> dict[tuple[str, str], _Operation]:
    """(METHOD, path) -> the koyeb-sdk API client operation that sends it."""
    found: dict[tuple[str, str], _Operation] = {}
    for path in sorted(sdk_folder().joinpath("api", "api").glob("*_api.py")):
        source = path.read_text(encoding="utf-8")
        (api,) = (
            node
            for node in ast.parse(source).body
            if isinstance(node, ast.ClassDef) and node.name.endswith("Api")
        )
        methods = {node.name: node for node in api.body if isinstance(node, ast.FunctionDef)}
        for match in re.finditer(
            r'def _(\w+)_serialize\(.*?method="(\w+)",\s*resource_path="([^"]+)"',
            source,
            re.DOTALL,
        ):
            arguments = methods[match[1]].args
            names = [
                a.arg for a in (*arguments.posonlyargs, *arguments.args, *arguments.kwonlyargs)
            ]
            found[(match[2], match[3])] = _Operation(source, tuple(names))
    return found


def _said(text: str) -> str:
    """Source text with whitespace runs (and docstring line breaks) made single spaces."""
    return re.sub(r"\s+", " ", text)


def test_the_openapi_document_is_the_one_koyeb_sdk_was_generated_from(
    contract: Contract,
) -> None:
    doc = contract.document
    assert f"The version of the OpenAPI document: {doc.openapi_version}" in (
        (sdk_folder() / "api" / "api_client.py").read_text(encoding="utf-8")
    )
    assert doc.openapi_client == f"koyeb-sdk {importlib.metadata.version('koyeb-sdk')}"


def test_every_openapi_citation_names_what_koyeb_sdk_has(contract: Contract) -> None:
    configuration = sdk_module("koyeb.api.configuration").Configuration()
    problems: list[str] = []
    for entry in contract.entries:
        for c in entry.openapi:
            where = f"{entry.anchor}: {c.path or c.schema or c.servers or c.intro}"
            if c.schema:
                model = _model(c.schema)
                source = _said(inspect.getsource(model))
                if c.values:
                    members = [m.value for m in model]  # type: ignore[attr-defined]
                    if list(c.values) != members:
                        problems.append(f"{where}: values {c.values} != {members}")
                fields = getattr(model, "model_fields", {})
                names = {field.alias or name for name, field in fields.items()}
                problems += [f"{where}: no field {f}" for f in c.fields if f not in names]
            elif c.path:
                method, path = c.path.split(" ", 1)
                found = _operations().get((method, path))
                if found is None:
                    problems.append(f"{where}: koyeb-sdk has no operation {c.path}")
                    continue
                problems += [
                    f"{where}: no parameter {p}" for p in c.parameters if p not in found.parameters
                ]
                source = _said(found.source)
            elif c.servers:
                if configuration.host != c.servers:
                    problems.append(f"{where}: koyeb-sdk's host is {configuration.host}")
                continue
            else:
                # The introduction is not in koyeb-sdk: only its section names are checked.
                if c.intro not in ("Authentication", "Errors", "Pagination"):
                    problems.append(f"{where}: the introduction has no section {c.intro!r}")
                continue
            if c.quote and _said(c.quote) not in source:
                problems.append(f"{where}: koyeb-sdk does not say {c.quote!r}")
    assert problems == []


def test_no_field_of_koyeb_sdk_carries_build_arguments(contract: Contract) -> None:
    """`api-no-build-args`, checked: the only `args` are the container command's."""
    holders = set()
    for name in model_names():
        fields = getattr(sdk_class(name), "model_fields", None)
        if not isinstance(fields, dict):
            continue
        for field_name, field in fields.items():
            spelled = (field.alias or field_name).lower()
            assert "build_arg" not in spelled and "buildarg" not in spelled, (name, spelled)
            if spelled == "args":
                holders.add(name)
    assert holders == {"DockerBuilder", "DockerSource"}
    cited = {c.schema for c in contract.entry("api-no-build-args").openapi if "args" in c.fields}
    assert cited == holders


def test_the_statuses_are_the_documents_and_the_clis_wait_sets_partition_them(
    contract: Contract,
) -> None:
    values = next(c.values for c in contract.entry("api-deployment-status").openapi if c.values)
    assert list(values) == [s.value for s in DeploymentStatus]
    wait = contract.entry("cli-wait-classification").wait
    assert wait is not None
    assert not set(wait.failure) & set(wait.in_progress)
    assert set(wait.failure) | set(wait.in_progress) < set(values)
    said = contract.entry("cli-wait-classification").says
    for status in values:
        assert f"`{status}`" in said, status


# -- CLI citations, checked against the project's flag table --------------------------------


def test_cli_citations_name_the_commit_the_flag_table_was_generated_from(
    repo_root: Path, contract: Contract
) -> None:
    table = json.loads((repo_root / "src/cachebust/data/koyeb-cli.json").read_text())
    assert f"at commit {contract.document.cli_commit} " in table["_source"]
    for entry in contract.entries:
        for c in entry.cli:
            if c.file:
                assert re.fullmatch(r"pkg/koyeb/[\w/]+\.go", c.file), (entry.anchor, c.file)
            else:
                assert re.fullmatch(r"[0-9a-f]{40}", c.commit) and c.quote, entry.anchor


def test_commands_an_entry_says_the_cli_accepts_or_rejects_are_so(contract: Contract) -> None:
    problems = []
    for entry in contract.entries:
        for line in entry.accepts:
            for _, verdict in validate_text(line):
                if not isinstance(verdict, KoyebCommand):
                    problems.append(f"{entry.anchor}: rejected: {line}: {verdict}")
        for line in entry.rejects:
            for _, verdict in validate_text(line):
                honest = isinstance(verdict, Invalid) and all(
                    p.kind is not ProblemKind.UNPARSABLE for p in verdict.problems
                )
                if not honest:
                    problems.append(f"{entry.anchor}: not rejected for a flag: {line}")
    assert problems == []
    assert sum(len(e.accepts) + len(e.rejects) for e in contract.entries) >= 15


def test_koyeb_commands_in_the_entries_text_exist(contract: Contract) -> None:
    problems = []
    for entry in contract.entries:
        for text in (entry.says, entry.confirm):
            for code in re.findall(r"`(koyeb [^`]+)`", text):
                problems += prose_problems(Path(entry.anchor), 1, code)
    assert problems == []


def test_the_docker_args_entry_names_set_source(contract: Contract) -> None:
    entry = contract.entry("cli-update-docker-flags-switch-source")
    assert entry.status == "confirmed"
    assert any(
        c.file == "pkg/koyeb/services.go" and c.function.endswith("setSource") for c in entry.cli
    )
    assert "definition.git = nil" in entry.says
    assert "koyeb service update APP/SERVICE --docker-args ARG" in entry.accepts
