"""pytest plugin: every code block of the guide (`docs/**/*.md`) and of `README.md`,
executed or validated, and one summary line at the end of the run.

Loaded for every run by `-p guidetools.pytest_plugin` in `[tool.pytest.ini_options]`:
a conftest would only see files under its own folder, and the pages live in `docs/`
and at the root. The checks are in `guidetools.checks`, the block conventions in
`guidetools.blocks`, `guidetools.transcript` and `guidetools.session` (and in
CONTRIBUTING.md).

Each page is a collector; each check an item named after its kind and page line
(`docs/how-to/manual.md::console[line:68]`). Python blocks are `PythonBlock` items
(`guidetools.python_block`), run with the `docs_koyeb_env` fixture: the pages call
`Client()`, which reads `KOYEB_URL` and `KOYEB_TOKEN` like any reader's code, so the
fixture points those at the session's loopback fake (an in-process transport cannot
reach an unmodified `Client()`, and a page must run as written).

The run writes the coverage report (`guidetools.coverage`: a record per block with its
check's result) and prints the summary line from it. With `--update-docs` (bless,
`guidetools.bless`) console checks collect new expected output instead of failing on
it. Under pytest-xdist, every worker collects every page and hands its records and
rewrites to the controller, which alone writes the report and the pages.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from guidetools import bless, coverage
from guidetools.bless import Rewrite
from guidetools.blocks import Block
from guidetools.checks import Check, is_guide_page, page_checks
from guidetools.coverage import (
    NOT_RUN,
    REPORT,
    BlockRecord,
    block_at,
    counts,
    summary_line,
    with_results,
    worst,
)
from guidetools.guide import SPEED, Guide, Koyeb
from guidetools.python_block import PythonBlock, script

GUIDE = pytest.StashKey[Guide]()
#: Each page's block records (`guidetools.coverage`), by page path.
RECORDS = pytest.StashKey[dict[str, list[BlockRecord]]]()
#: The result of each block's checks, by (page, line).
RESULTS = pytest.StashKey[dict[tuple[str, int], str]]()
#: In bless mode, the diff of each page the session rewrote.
DIFFS = pytest.StashKey[bless.Applied]()
#: The coverage report this run wrote, if it wrote one.
WRITTEN = pytest.StashKey[Path]()


class DocBlockFailure(Exception):
    """A block (or page check) that does not do what the page says."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("\n".join(problems))


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.getgroup("docs").addoption(
        "--update-docs",
        action="store_true",
        help="Bless: rewrite the expected output of the console blocks whose output "
        "changed (placeholders and macros kept), and print a diff per page.",
    )


def pytest_configure(config: pytest.Config) -> None:
    config.stash[GUIDE] = Guide(config.rootpath)
    if config.getoption("update_docs", False):
        config.stash[GUIDE].rewrites = []
    config.stash[RECORDS] = {}
    config.stash[RESULTS] = {}
    config.pluginmanager.register(_Results(config.stash[RESULTS]), "guidetools-results")


def pytest_unconfigure(config: pytest.Config) -> None:
    if GUIDE in config.stash:
        config.stash[GUIDE].close()


def pytest_collect_file(file_path: Path, parent: pytest.Collector) -> GuidePage | None:
    if is_guide_page(file_path, parent.config.rootpath):
        return GuidePage.from_parent(parent, path=file_path)
    return None


class _Results:
    """Each block's result from its checks' reports (on the controller under pytest-xdist,
    which sees every worker's reports)."""

    def __init__(self, results: dict[tuple[str, int], str]) -> None:
        self.results = results

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        at = block_at(report.nodeid)
        if at is None:
            return
        if report.failed:
            outcome = "failed"
        elif report.skipped:
            outcome = "skipped"
        elif report.when == "call":
            outcome = "passed"
        else:
            return
        self.results[at] = worst(self.results.get(at, NOT_RUN), outcome)


@pytest.hookimpl(trylast=True)  # after the durations, before pytest's short summary
def pytest_sessionfinish(session: pytest.Session) -> None:
    config = session.config
    records = config.stash.get(RECORDS, {})
    # Under pytest-xdist, each worker collects every page; the controller writes the report.
    rewrites = config.stash[GUIDE].rewrites
    workeroutput = getattr(config, "workeroutput", None)
    if workeroutput is not None:
        workeroutput["docs_records"] = [r.as_json() for page in records.values() for r in page]
        workeroutput["docs_rewrites"] = [r.as_json() for r in rewrites or ()]
        return
    if rewrites is not None:
        # Applied here, once, by the controller: workers never write a page.
        config.stash[DIFFS] = bless.apply(config.rootpath, rewrites)
    if records:
        report = config.rootpath / REPORT
        found = [r for page in records.values() for r in page]
        coverage.write(report, with_results(found, config.stash[RESULTS]))
        config.stash[WRITTEN] = report


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node: Any, error: object) -> None:
    """pytest-xdist, on the controller: a worker's records (all workers see all pages)."""
    output = getattr(node, "workeroutput", {})
    rewrites = node.config.stash[GUIDE].rewrites
    if rewrites is not None:
        rewrites += [Rewrite.from_json(data) for data in output.get("docs_rewrites", [])]
    for data in output.get("docs_records", []):
        found = BlockRecord.from_json(data)
        pages = node.config.stash[RECORDS]
        if found not in pages.setdefault(found.page, []):
            pages[found.page].append(found)


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    diffs = terminalreporter.config.stash.get(DIFFS, None)
    if diffs is not None:
        for line in bless.summary(diffs):
            terminalreporter.write_line(line)
    report = terminalreporter.config.stash.get(WRITTEN, None)
    if report is not None:
        terminalreporter.write_line(summary_line(counts(coverage.read(report))))


@pytest.fixture
def docs_koyeb_env(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Koyeb:
    """What a reader's Python process has: KOYEB_URL, KOYEB_TOKEN, the repository as cwd."""
    guide = request.config.stash[GUIDE]
    koyeb = guide.koyeb()
    monkeypatch.setenv("KOYEB_URL", koyeb.url)
    monkeypatch.setenv("KOYEB_TOKEN", koyeb.fake.token)
    monkeypatch.setenv("CACHEBUST_SPEED", str(SPEED))
    monkeypatch.setenv("HOME", str(guide.home()))
    monkeypatch.chdir(guide.root)
    return koyeb


class GuidePage(pytest.File):
    """One page of the guide: an item per check, in page order."""

    def collect(self) -> Iterator[pytest.Item]:
        page = page_checks(self.config.stash[GUIDE], self.path)
        self.config.stash[RECORDS][str(page.path)] = list(page.records)
        previous = ""
        for item in page.checks:
            if isinstance(item, Block):
                previous = script(item, previous)
                name = f"python[line:{item.line}]"
                yield PythonBlock.from_parent(self, name=name, block=item, source=previous)
            else:
                yield CheckItem.from_parent(self, name=f"{item.kind}[line:{item.line}]", check=item)


class CheckItem(pytest.Item):
    """A block or page check: fails with every problem it found, each naming its place."""

    def __init__(self, *, check: Check, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.check = check

    def runtest(self) -> None:
        problems = self.check.problems()
        if problems:
            raise DocBlockFailure(problems)

    def repr_failure(
        self,
        excinfo: pytest.ExceptionInfo[BaseException],
        style: Any = None,
    ) -> Any:
        if isinstance(excinfo.value, DocBlockFailure):
            return str(excinfo.value)
        return super().repr_failure(excinfo, style)

    def reportinfo(self) -> tuple[Path, int, str]:
        return self.path, self.check.line - 1, self.name
