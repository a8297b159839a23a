"""Every check of a guide page, as plain functions: what the pytest plugin turns into
items, and what the checker's own tests run on broken copies of the project (each
with its `guidetools.guide.Guide`).

`page_checks` gives, in page order, one `Check` per block (exempt blocks aside) and
the page-level checks: the page renders as on the site, configured values are not
written by hand, `koyeb` commands named in prose exist, exempt markers sit on a fence,
and the platform contract is cited through its macro, never by a hand-written link.
"""

from __future__ import annotations

import shutil
import subprocess
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path

from guidetools import cachebust_cli
from guidetools.bless import CannotBless, block_rewrites
from guidetools.blocks import Block, Kind, classify, make_arguments, runs_koyeb
from guidetools.contract import hand_written_links
from guidetools.coverage import BlockRecord, counts, record, unrendered
from guidetools.expected import ELLIPSIS, compare
from guidetools.fences import Fence, code_spans, scan
from guidetools.guide import Guide
from guidetools.koyeb import block_problems, prose_problems, session_problems
from guidetools.lint import LintCache
from guidetools.render import RenderError
from guidetools.session import Session, check, run
from guidetools.values import literal_values, readme_values


@dataclass(frozen=True, slots=True)
class Check:
    """One check of a page: what it is about, its line, and what finds its problems."""

    kind: str
    line: int
    problems: Callable[[], list[str]]


@dataclass(frozen=True, slots=True)
class Page:
    """A page's checks in page order; its Python blocks become `PythonBlock` items."""

    path: Path
    checks: tuple[Check | Block, ...]
    #: Every block that rendered, with its class.
    blocks: tuple[Block, ...]
    #: Every block, rendered or not, as the coverage report lists it.
    records: tuple[BlockRecord, ...]

    @property
    def counts(self) -> Counter[str]:
        return counts(self.records)


def is_guide_page(path: Path, root: Path) -> bool:
    return path.suffix == ".md" and (path == root / "README.md" or (root / "docs") in path.parents)


def page_checks(guide: Guide, path: Path) -> Page:
    """Every check of one page (`path` absolute, under `guide.root`)."""
    text = path.read_text(encoding="utf-8")
    relative = path.relative_to(guide.root)
    found = scan(relative, text)
    readme = path == guide.root / "README.md"
    blocks = [_block(guide, fence, readme) for fence in found.fences]
    records = tuple(
        record(block) if isinstance(block, Block) else unrendered(fence)
        for fence, block in zip(found.fences, blocks, strict=True)
    )
    prose = _prose(text, found.fences)
    checks: list[Check | Block] = []
    for fence, block in zip(found.fences, blocks, strict=True):
        if isinstance(block, RenderError):
            checks.append(Check("macros", fence.line, _fails([str(block)])))
        elif block.kind is Kind.PYTHON:
            checks.append(block)
        elif block.kind is not Kind.EXEMPT:
            checks.append(Check(block.kind.slug, block.line, _block_check(guide, block, prose)))
        else:
            # Exempt from running, not from the flag tables (a console block's commands).
            if any(runs_koyeb(command) for command in block.commands):
                checks.append(Check("exempt-koyeb", fence.line, _exempt_koyeb(block)))
            if any(cachebust_cli.find(command.text) for command in block.commands):
                checks.append(Check("exempt-cachebust", fence.line, _exempt_cachebust(block)))
    for marker in found.dangling:
        problem = f"{relative}:{marker.line}: an exempt marker must be directly above a fence"
        checks.append(Check("exempt-marker", marker.line, _fails([problem])))
    checks += _page_level(guide, relative, text, found.fences, readme)
    rendered = tuple(block for block in blocks if isinstance(block, Block))
    return Page(relative, tuple(checks), rendered, records)


def run_checks(page: Page, *, lines: tuple[int, ...] = ()) -> list[str]:
    """The problems of a page's checks (of those at `lines`, if given)."""
    return [
        problem
        for item in page.checks
        if isinstance(item, Check) and (not lines or item.line in lines)
        for problem in item.problems()
    ]


def _block(guide: Guide, fence: Fence, readme: bool) -> Block | RenderError:
    if readme:  # README.md is not rendered by MkDocs: what it says is literal
        return classify(fence, fence.source)
    try:
        text = guide.renderer.render(fence.source, path=fence.path, first_line=fence.first_line)
    except RenderError as error:
        return error
    return classify(fence, text)


def _page_level(
    guide: Guide, relative: Path, text: str, fences: tuple[Fence, ...], readme: bool
) -> Iterator[Check]:
    if readme:
        yield Check("values", 1, lambda: readme_values(relative, text, guide.settings))
    else:
        yield Check(
            "macros", 1, lambda: _listed(guide.renderer.page_problem(relative, text, fences))
        )
        yield Check("values", 1, lambda: literal_values(relative, text, guide.settings))
        yield Check("contract-links", 1, lambda: hand_written_links(relative, text))
    for program, validate in (
        ("koyeb", prose_problems),
        (cachebust_cli.PROGRAM, cachebust_cli.prose_problems),
    ):
        spans = [
            (n, code) for n, code in code_spans(text, fences) if code.startswith(program + " ")
        ]
        if spans:
            yield Check(
                f"{program}-in-prose",
                spans[0][0],
                _prose_check(guide, relative, spans, readme, validate),
            )


def _block_check(guide: Guide, block: Block, prose: str) -> Callable[[], list[str]]:
    kind = block.kind
    if kind is Kind.UNCLASSIFIED:
        return _fails([f"{block.path}:{block.line}: in no class: {block.reason}"])
    if kind is Kind.CONSOLE:
        return lambda: _console(guide, block)
    if kind is Kind.MAKE:
        return lambda: _unchecked_output(block) + _make(guide.root, block)
    if kind is Kind.INCLUDE:
        return lambda: _included(guide.lints, block)
    return lambda: _unchecked_output(block) + block_problems(block, prose)


def _console(guide: Guide, block: Block) -> list[str]:
    koyeb = guide.koyeb()
    violations = len(koyeb.fake.contract_violations)
    shell = guide.shell()
    # Run, as well as validated: a command that only works by accident (an option Click
    # takes for an argument) is still refused.
    problems = cachebust_cli.session_problems(block.path, block.commands)
    session = run(block.commands, shell)
    if guide.rewrites is not None:
        session, why = _blessed(guide, block, session)
        problems += why
    problems += check(block.path, block.commands, session, shell)
    problems += [
        f"{block.path}:{block.line}: the fake Koyeb API broke its contract: {violation}"
        for violation in koyeb.fake.contract_violations[violations:]
    ]
    return problems


def _blessed(guide: Guide, block: Block, session: Session) -> tuple[Session, list[str]]:
    """Bless mode: the session with the output the page will show once rewritten (the
    rewrites kept in `guide.rewrites`), or as it was and why it cannot be blessed."""
    assert guide.rewrites is not None
    changed = [
        (result.command, result.output)
        for result in session.results
        if not compare(result.command.expected, result.output)[0]
    ]
    if not changed:
        return session, []
    values = {k: v for k, v in guide.renderer.variables.items() if isinstance(v, str)}
    fence = block.fence
    try:
        found = block_rewrites(
            block.path, fence.first_line, fence.indent, fence.source, block.text, changed, values
        )
    except CannotBless as exc:
        return session, [f"{block.path}:{block.line}: cannot bless this block: {exc}"]
    guide.rewrites += [rewrite for rewrite, _ in found]
    blessed = {command.line: command for _, command in found}
    results = tuple(
        replace(result, command=blessed.get(result.command.line, result.command))
        for result in session.results
    )
    return replace(session, results=results), []


def _exempt_koyeb(block: Block) -> Callable[[], list[str]]:
    return lambda: session_problems(block.path, block.commands)


def _exempt_cachebust(block: Block) -> Callable[[], list[str]]:
    return lambda: cachebust_cli.session_problems(block.path, block.commands)


def _unchecked_output(block: Block) -> list[str]:
    """A validated command is not run, so the page cannot promise its output."""
    return [
        f"{block.path}:{command.line}: shows output for a command that is validated, not "
        f"run, so nothing checks it: show `{ELLIPSIS}` or nothing"
        for command in block.commands
        if command.expected not in ((), (ELLIPSIS,))
    ]


def _make(root: Path, block: Block) -> list[str]:
    """`make` commands are checked with `make -n`: the target exists and its recipe
    expands, without serving the site or running the suite from inside the suite."""
    make = shutil.which("make") or "make"
    problems = []
    for command in block.commands:
        arguments = make_arguments(command)
        assert arguments is not None  # a `make` block holds nothing else
        done = subprocess.run(
            [make, "-n", *arguments], cwd=root, capture_output=True, text=True, check=False
        )
        if done.returncode != 0:
            problems.append(
                f"{block.path}:{command.line}: `{command.text}` fails `make -n`:\n"
                + (done.stdout + done.stderr).rstrip()
            )
    return problems


def _included(lints: LintCache, block: Block) -> list[str]:
    problems = []
    for path in block.includes:
        lint = lints.lint(path)
        if not lint.ok:
            problems.append(
                f"{block.path}:{block.line}: shows {path}, which fails its linter:\n{lint.output}"
            )
    return problems


def _prose_check(
    guide: Guide,
    relative: Path,
    spans: list[tuple[int, str]],
    readme: bool,
    validate: Callable[[Path, int, str], list[str]],
) -> Callable[[], list[str]]:
    def problems() -> list[str]:
        found = []
        for line, code in spans:
            text = code if readme else guide.renderer.render(code, path=relative, first_line=line)
            found += validate(relative, line, text)
        return found

    return problems


def _prose(text: str, fences: tuple[Fence, ...]) -> str:
    """The page without its code blocks: where it explains them."""
    inside = {n for fence in fences for n in range(fence.line, fence.end + 1)}
    return "\n".join(line for n, line in enumerate(text.splitlines(), 1) if n not in inside)


def _fails(problems: list[str]) -> Callable[[], list[str]]:
    return lambda: problems


def _listed(problem: str | None) -> list[str]:
    return [] if problem is None else [problem]
