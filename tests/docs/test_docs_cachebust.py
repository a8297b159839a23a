"""`cachebust` command lines against the CLI's own Click definitions, wherever the
project writes one (guidetools.cachebust_cli)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from guidetools.cachebust_cli import Kind, line_problems, project_problems, validate
from guidetools.checks import page_checks, run_checks
from guidetools.guide import Guide
from guidetools.transcript import parse

DEPLOY = ".github/workflows/deploy.yml"
MONITOR = "docs/how-to/monitor.md"


@pytest.mark.parametrize(
    ("line", "kind", "says"),
    [
        ("cachebust stauts", Kind.UNKNOWN_COMMAND, "no command `cachebust stauts`"),
        ("cachebust status --verbose", Kind.UNKNOWN_OPTION, "unknown option --verbose"),
        ("cachebust logs --since", Kind.MISSING_VALUE, "'--since' requires an argument"),
        ("cachebust logs --type deploy", Kind.BAD_VALUE, "'deploy' is not one of 'build'"),
        ("cachebust rebuild --timeout 5x", Kind.BAD_VALUE, "A duration is a positive number"),
        ("cachebust watch app/api extra", Kind.EXTRA_ARGUMENT, "takes no argument extra"),
        ("cachebust --nope status", Kind.UNKNOWN_OPTION, "unknown option --nope for `cachebust`"),
    ],
)
def test_each_kind_of_mistake_is_refused_with_what_click_says(
    line: str, kind: Kind, says: str
) -> None:
    (problem,) = validate(line.split())
    assert problem.kind is kind
    assert says in problem.message


@pytest.mark.parametrize(
    "line",
    [
        "cachebust status",
        "cachebust logs my-app/web --type build --since 1h --tail",
        "cachebust rebuild --timeout 15m --use-cache --json",
        "cachebust --version",
        "cachebust logs --help",
        "cachebust fake-api --assumption NAME=VALUE",
    ],
)
def test_what_the_cli_takes_is_accepted(line: str) -> None:
    assert validate(line.split()) == []


def test_shell_variables_are_opaque_values_and_pass_through_words_are_dropped() -> None:
    script = (
        'cachebust logs --deployment "$ID" --since "$SINCE" "$TARGET"\n'
        'exec "$CACHEBUST_CLI" rebuild "$@"\n'
        'exec "$CACHEBUST_CLI" rebuild --wait "$@"\n'
        'cachebust contract ${REDEPLOY:+--redeploy "$REDEPLOY"}\n'
        'cachebust contract ${REDEPLOY:+--redeploi "$REDEPLOY"}\n'
        "cachebust rebuild ${{ inputs.target }} --timeout ${{ inputs.timeout }}\n"
        "cachebust rebuild ${{ inputs.target }} ${{ inputs.flags }}\n"
        "cachebust status ${{ inputs.target }} app/api\n"
    )
    problems = line_problems(Path("runbooks/x.sh"), script)
    assert [problem.split(": the cachebust CLI rejects")[0] for problem in problems] == [
        "runbooks/x.sh:3",
        "runbooks/x.sh:5",
        "runbooks/x.sh:8",
    ]
    assert "unknown option --wait for `cachebust rebuild`" in problems[0]
    assert "unknown option --redeploi for `cachebust contract`" in problems[1]
    # An opaque word may expand to nothing; a word written out is surely one too many.
    assert "`cachebust status` takes no argument app/api" in problems[2]


def test_the_runbooks_workflows_and_action_write_only_commands_the_cli_takes(
    repo_root: Path,
) -> None:
    assert project_problems(repo_root) == []


def test_a_workflow_step_with_an_unknown_option_fails_naming_file_and_line(
    project_copy: Callable[..., Path],
) -> None:
    root = project_copy()
    workflow = root / DEPLOY
    text = workflow.read_text()
    # After the rebuild step (it uses the action), a step of its own.
    anchor = next(line + "\n" for line in text.splitlines() if line.strip().startswith("uses: ./"))
    step = "      - name: Show the service\n        run: cachebust status --verbose\n"
    workflow.write_text(text.replace(anchor, anchor + step))
    line = text[: text.index(anchor)].count("\n") + 3
    assert project_problems(root) == [
        f"{DEPLOY}:{line}: the cachebust CLI rejects `cachebust status --verbose`: unknown "
        "option --verbose for `cachebust status` (it has: --help, --json)"
    ]


def test_an_action_yml_is_checked_when_it_exists(project_copy: Callable[..., Path]) -> None:
    root = project_copy()
    (root / "action.yml").write_text(
        "name: x\ndescription: y\nruns:\n  using: composite\n  steps:\n"
        "    - shell: bash\n      run: |\n        cachebust rebuild ${{ inputs.target }}\n"
        "        cachebust watch --timeout ${{ inputs.timeout }} --tail\n"
    )
    assert project_problems(root) == [
        "action.yml:9: the cachebust CLI rejects `cachebust watch --timeout ${{ inputs.timeout "
        "}} --tail`: unknown option --tail for `cachebust watch` (it has: --help, --json, "
        "--timeout)"
    ]


def test_a_prose_span_with_a_bad_choice_fails_the_page_naming_its_line(
    project_copy: Callable[..., Path], guides: Callable[[Path], Guide]
) -> None:
    root = project_copy()
    page = root / MONITOR
    text = page.read_text()
    page.write_text(
        text + "\nSee `cachebust logs --type deploy` and `cachebust logs {{ target }} --tail`.\n"
    )
    line = len(text.splitlines()) + 2
    problems = run_checks(page_checks(guides(root), page))
    assert problems == [
        f"{MONITOR}:{line}: the cachebust CLI rejects `cachebust logs --type deploy`: --type of "
        "`cachebust logs`: 'deploy' is not one of 'build', 'runtime'."
    ]


def test_prose_may_leave_out_a_value_or_an_argument() -> None:
    from guidetools.cachebust_cli import prose_problems

    assert prose_problems(Path("p.md"), 1, "cachebust contract --redeploy") == []
    assert prose_problems(Path("p.md"), 1, "cachebust logs --since 5x") != []


def test_a_console_block_showing_a_usage_error_on_purpose_is_not_refused() -> None:
    from guidetools.cachebust_cli import session_problems

    shown = "$ cachebust logs --type deploy\nError: ...\n$ echo $?\n2\n"
    wrong = "$ cachebust logs --type deploy\n$ cachebust status --verbose\n"
    assert session_problems(Path("p.md"), parse(shown, first_line=10).commands) == []
    problems = session_problems(Path("p.md"), parse(wrong, first_line=10).commands)
    assert [problem.split(":")[1] for problem in problems] == ["10", "11"]
