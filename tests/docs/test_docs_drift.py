"""The guide and the tooling cannot drift apart: each change below, made in a temporary
copy, makes the doc-checks fail and name the page and line (issue 6, "Must show").

Each runs the checks of one page (or one block) in-process, with at most one bash
session per block, against a fake Koyeb API seeded from the copy's own settings.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable
from pathlib import Path

from cachebust._config import load
from guidetools.builders import copy_tree
from guidetools.checks import page_checks, run_checks
from guidetools.guide import Guide
from guidetools.session import check, run

MONITOR = "docs/how-to/monitor.md"


def _line_of(path: Path, needle: str) -> int:
    return next(n for n, line in enumerate(path.read_text().splitlines(), 1) if needle in line)


def _prompt_line(path: Path, command: str) -> list[int]:
    """The page lines of every `$ <command>` (nested blocks included)."""
    lines = path.read_text().splitlines()
    return [n for n, line in enumerate(lines, 1) if line.strip() == f"$ {command}"]


def test_renaming_a_cli_option_fails_every_block_that_uses_it(
    repo_root: Path, tmp_path: Path, guides: Callable[..., Guide]
) -> None:
    source = tmp_path / "src" / "cachebust"
    copy_tree(repo_root / "src/cachebust", source)
    rebuild = source / "cli" / "_rebuild.py"
    code = rebuild.read_text()
    assert code.count('"--use-cache",') == 1
    rebuild.write_text(code.replace('"--use-cache",', '"--with-cache",'))
    # A `cachebust` on PATH that runs the changed copy, as a reader's would after an upgrade.
    shim = tmp_path / "bin" / "cachebust"
    shim.parent.mkdir()
    shim.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m cachebust "$@"\n')
    shim.chmod(0o755)
    guide = guides(repo_root, path=(str(shim.parent),), env={"PYTHONPATH": str(source.parent)})

    page = page_checks(guide, repo_root / MONITOR)
    uses = _prompt_line(repo_root / MONITOR, "cachebust rebuild --use-cache")
    assert uses, "the page no longer runs `cachebust rebuild --use-cache`: pick another option"
    # The option is on each block's first line, so the block's line is the one above it.
    problems = run_checks(page, lines=tuple(line - 1 for line in uses))
    assert {p.split(": `")[0] for p in problems if "exited 2" in p} == {
        f"{MONITOR}:{line}" for line in uses
    }


def test_a_new_service_name_fails_the_readme_and_literal_commands_but_not_the_pages(
    project_copy: Callable[..., Path], guides: Callable[..., Guide]
) -> None:
    root = project_copy()
    pyproject = root / "pyproject.toml"
    original = load(root)
    pyproject.write_text(re.sub(r'(?m)^service = ".*"$', 'service = "edge"', pyproject.read_text()))
    # What README.md would say if it showed a command: values written by hand.
    readme = root / "README.md"
    readme.write_text(
        readme.read_text()
        + f"\n```console\n$ cachebust status {original.target}\n"
        + f"service:            {original.target}\n...\n```\n"
    )
    guide = guides(root)
    assert guide.settings.target == f"{original.app}/edge"

    problems = run_checks(page_checks(guide, readme))
    command = _line_of(readme, f"$ cachebust status {original.target}")
    assert f"README.md:{command}: `cachebust status {original.target}` exited 4" in problems[0]
    sample = _line_of(readme, "the sample `")
    assert any(
        p.startswith(f"README.md:{sample}: says service {original.service!r}") for p in problems
    )
    # The pages use macros: rendered with the new name, they pass against the new fake.
    ci_cd = root / "docs/how-to/ci-cd.md"
    status = _line_of(ci_cd, "$ cachebust status") - 1
    assert run_checks(page_checks(guide, ci_cd), lines=(status,)) == []


def test_renaming_the_build_arg_in_the_dockerfile_fails_the_pages_that_show_it(
    project_copy: Callable[..., Path], guides: Callable[..., Guide], guide: Guide
) -> None:
    root = project_copy()
    settings = load(root)
    dockerfile = root / settings.dockerfile
    renamed = settings.build_arg.replace("CACHE", "CACHE_")
    text = dockerfile.read_text().replace(f"ARG {settings.build_arg}=", f"ARG {renamed}=")
    dockerfile.write_text(text.replace(f"${{{settings.build_arg}}}", f"${{{renamed}}}"))
    changed = guides(root)

    # The page that highlights the ARG's lines no longer renders, and says where.
    how = root / "docs/explanation/how-it-works.md"
    problems = run_checks(page_checks(changed, how))
    where = f"docs/explanation/how-it-works.md:{_line_of(how, 'dockerfile_lines()')}: "
    assert any(
        p.startswith(where) and "does not have the cache-bust layout" in p for p in problems
    ), problems

    # The troubleshooting page's doctor output, run in the changed project: `cachebust
    # doctor` fails, and says which check.
    troubleshooting = root / "docs/troubleshooting.md"
    doctor = _line_of(troubleshooting, "$ cachebust doctor")
    today = page_checks(guide, guide.root / "docs/troubleshooting.md")
    block = next(b for b in today.blocks if b.line == doctor - 1)
    shell = changed.shell()
    problems = check(block.path, block.commands, run(block.commands, shell), shell)
    assert problems[0] == (
        f"docs/troubleshooting.md:{doctor}: `cachebust doctor` exited 1, and the page does "
        "not show it: add `$ echo $?` and its output `1` after it, or fix the command"
    )
    summaries = [line for line in problems[1].splitlines() if line.endswith(" failed")]
    assert summaries[-1].startswith("- ") and summaries[-1].endswith(" 0 failed"), problems[1]
    assert summaries[0].endswith(" 1 failed"), problems[1]


def test_pasting_the_old_logs_command_into_a_page_fails_at_its_line(
    project_copy: Callable[..., Path], guides: Callable[..., Guide]
) -> None:
    root = project_copy()
    page = root / MONITOR
    lines = page.read_text().splitlines()
    tail = _line_of(page, "--type build --tail")
    lines.insert(tail, "    $ koyeb service logs api --follow")
    lines.append("Or follow it with `koyeb service logs api --follow`.")
    page.write_text("\n".join(lines) + "\n")
    guide = guides(root)

    problems = run_checks(page_checks(guide, page), lines=(tail - 1, _first_span(page)))
    assert [p.split(": the official")[0] for p in problems] == [
        f"{MONITOR}:{tail + 1}",
        f"{MONITOR}:{len(lines)}",
    ]
    assert all("unknown flag --follow" in p for p in problems)


def _first_span(page: Path) -> int:
    """The line of the first `koyeb` code span (the prose check reports from there)."""
    return _line_of(page, "`koyeb ")
