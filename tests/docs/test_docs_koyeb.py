"""`koyeb` command lines against the official CLI's flag table: in blocks, in prose,
in the runbooks and in the workflows."""

from __future__ import annotations

from pathlib import Path

import pytest

from guidetools.blocks import Kind, classify
from guidetools.fences import scan
from guidetools.koyeb import (
    block_problems,
    line_problems,
    prose_problems,
    session_problems,
    workflow_runs,
)
from guidetools.transcript import parse

PAGE = Path("docs/page.md")


def _block_problems(info: str, body: str, prose: str = "") -> list[str]:
    fence = scan(PAGE, f"# t\n\n```{info}\n{body}```\n").fences[0]
    block = classify(fence, fence.source)
    assert block.kind in (Kind.KOYEB, Kind.COUNTER_EXAMPLE, Kind.ACCEPTED_BUT_WRONG)
    return block_problems(block, prose)


def test_accepted_commands_pass() -> None:
    body = (
        "$ koyeb service redeploy app/api --wait\n...\n$ koyeb deployment list --service app/api\n"
    )
    assert _block_problems("console", body) == []


@pytest.mark.parametrize(
    ("command", "reason"),
    [
        ("koyeb service logs app/api --follow", "unknown flag --follow"),
        ("koyeb service redeploy app/api --skip-cache", "it exists on: services create"),
        ("koyeb service redeploy", "accepts 1 arg(s), received 0"),
        ("koyeb service redeploy app/api extra", "unexpected: extra"),
        ("koyeb service rebuild app/api", "unknown command 'rebuild'"),
        ("koyeb service redeploy app/api --wait-timeout 5", "a unit is required"),
    ],
)
def test_each_kind_of_mistake_fails_with_file_and_line(command: str, reason: str) -> None:
    problems = _block_problems("console", f"$ koyeb service get app/api\n$ {command}\n")
    assert len(problems) == 1
    assert problems[0].startswith(f"docs/page.md:5: the official koyeb CLI rejects `{command}`")
    assert reason in problems[0]


def test_a_counter_example_must_be_rejected() -> None:
    problems = _block_problems("{.console .counter-example}", "$ koyeb service get app/api\n")
    assert problems == [
        "docs/page.md:4: counter-example `koyeb service get app/api` is accepted by the "
        "official koyeb CLI's flag table, so the page's correction is wrong (or the block is "
        "`.accepted-but-wrong`)"
    ]


def test_a_counter_example_must_be_rejected_for_what_the_page_says() -> None:
    body = '$ koyeb service logs app/api --follow\n$ koyeb service get "app/api\n'
    problems = _block_problems("{.console .counter-example}", body, prose="no `--tail`")
    assert problems == [
        "docs/page.md:4: counter-example `koyeb service logs app/api --follow` is rejected "
        "for --follow, which the page's text never names",
        'docs/page.md:5: counter-example `koyeb service get "app/api` is rejected only '
        "because it cannot be read (cannot split the line: No closing quotation), not for "
        "what the page says",
    ]
    explained = "`koyeb service logs` has no `--follow`"
    assert (
        _block_problems("{.console .counter-example}", body.splitlines()[0] + "\n", explained) == []
    )


def test_an_accepted_but_wrong_block_must_be_accepted_and_explained() -> None:
    info = "{.console .counter-example .accepted-but-wrong}"
    body = '$ koyeb service update app/api --docker-args "--build-arg X=1"\n'
    assert _block_problems(info, body, prose="`--docker-args` sets runtime arguments") == []
    unexplained = _block_problems(info, body, prose="it is wrong")
    assert unexplained == [
        'docs/page.md:4: `koyeb service update app/api --docker-args "--build-arg X=1"` is '
        "shown as accepted but wrong, and the page's text never names --docker-args, so it "
        "cannot explain what is wrong"
    ]
    rejected = _block_problems(info, "$ koyeb service redeploy app/api --docker-args x\n")
    assert rejected[-1].endswith("must hold commands the CLI accepts")


def test_a_session_is_checked_command_by_command_at_its_page_lines() -> None:
    session = (
        "$ koyeb services list\n"
        "ID  NAME  koyeb service logs a/b --follow\n"
        "$ cachebust status\n"
        "$ koyeb service redeploy \\\n"
        ">   app/api --skip-cache\n"
    )
    problems = session_problems(PAGE, parse(session, first_line=20).commands)
    assert len(problems) == 1
    assert problems[0].startswith(
        "docs/page.md:23: the official koyeb CLI rejects "
        "`koyeb service redeploy   app/api --skip-cache`: unknown flag --skip-cache"
    )


def test_prose_may_leave_out_arguments_and_values_but_not_invent_flags() -> None:
    assert prose_problems(PAGE, 3, "koyeb service redeploy") == []
    assert prose_problems(PAGE, 3, "koyeb service update --docker-args") == []
    assert prose_problems(PAGE, 3, "koyeb login") == []
    assert prose_problems(PAGE, 3, "koyeb service logs --follow") == [
        "docs/page.md:3: the official koyeb CLI rejects `koyeb service logs --follow`: unknown "
        "flag --follow for `koyeb services logs`; `koyeb services logs` accepts 1 arg(s), "
        "received 0: give the service as APP/SERVICE"
    ]


def test_scripts_are_checked_line_by_line(tmp_path: Path) -> None:
    script = "#!/bin/sh\nset -e\nkoyeb service redeploy \\\n  app/api --skip-cache\n"
    problems = line_problems(Path("runbooks/x.sh"), script)
    assert len(problems) == 1
    assert problems[0].startswith("runbooks/x.sh:3: the official koyeb CLI rejects")


def test_workflow_run_steps_are_found_at_their_lines(tmp_path: Path) -> None:
    workflow = tmp_path / "wf.yml"
    workflow.write_text(
        "jobs:\n  a:\n    steps:\n      - run: koyeb service get a/b\n"
        "      - name: two\n        run: |\n"
        "          echo hi\n          koyeb service logs a/b -f\n"
    )
    runs = list(workflow_runs(workflow))
    assert runs == [(4, "koyeb service get a/b"), (7, "echo hi\nkoyeb service logs a/b -f\n")]
    problems = [p for line, text in runs for p in line_problems(workflow, text, first_line=line)]
    assert len(problems) == 1
    assert problems[0].startswith(f"{workflow}:8: the official koyeb CLI rejects")


def test_the_runbooks_and_workflows_write_only_commands_the_cli_accepts(repo_root: Path) -> None:
    problems: list[str] = []
    for script in sorted((repo_root / "runbooks").glob("*.sh")):
        problems += line_problems(script.relative_to(repo_root), script.read_text())
    for workflow in sorted((repo_root / ".github/workflows").glob("*.y*ml")):
        for line, text in workflow_runs(workflow):
            problems += line_problems(workflow.relative_to(repo_root), text, first_line=line)
    assert problems == []
