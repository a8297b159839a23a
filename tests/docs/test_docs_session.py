"""Running a console block in bash and comparing its output with the page."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from guidetools.blocks import session
from guidetools.expected import compare, line_pattern
from guidetools.fences import scan
from guidetools.session import Shell, check, run
from guidetools.transcript import Command

PAGE = Path("docs/page.md")


def _commands(body: str) -> tuple[Command, ...]:
    fence = scan(PAGE, f"# t\n\n```console\n{body}```\n").fences[0]
    return session(fence, fence.source)


@pytest.fixture
def shell(tmp_path: Path) -> Shell:
    env = {"PATH": os.environ["PATH"], "HOME": str(tmp_path), "SECRET": "s3cret-token"}
    return Shell(
        tmp_path,
        env,
        replacements=(("http://127.0.0.1:9", "https://api.example"),),
        secrets=("s3cret-token",),
        timeout=10,
    )


def _problems(body: str, shell: Shell) -> list[str]:
    commands = _commands(body)
    return check(PAGE, commands, run(commands, shell), shell)


@pytest.mark.parametrize(
    ("expected", "line"),
    [
        ("Deployment <id> created.", "Deployment 1775336d-71ea-4d05-89a3-e80e966e1277 created."),
        ("latest: <id>, HEALTHY", "latest: 1775336d, HEALTHY"),
        ("at <time>", "at 2026-11-24T10:01:02Z"),
        ("at <time>", "at 2026-11-24T10:01:02.123+01:00"),
        ("took <duration>", "took 3m05s"),
        ("took <duration>", "took 0.4s"),
        ("took <duration>", "took 1h02m00s"),
        ("sha256:<hex> done", "sha256:534097cabaf3 done"),
        ("ran all <n> steps", "ran all 12 steps"),
        ("export KOYEB_TOKEN=<token>", "export KOYEB_TOKEN=<token>"),
    ],
)
def test_named_patterns_match_what_varies(expected: str, line: str) -> None:
    assert line_pattern(expected).fullmatch(line)


@pytest.mark.parametrize(
    ("expected", "line"),
    [
        ("Deployment <id> created.", "Deployment not-an-id created."),
        ("export KOYEB_TOKEN=<token>", "export KOYEB_TOKEN=abc"),
        ("a.b", "axb"),
    ],
)
def test_everything_else_is_literal(expected: str, line: str) -> None:
    assert not line_pattern(expected).fullmatch(line)


def test_ellipsis_matches_any_number_of_lines_including_none() -> None:
    assert compare(["a", "...", "z"], ["a", "z"])[0]
    assert compare(["a", "...", "z"], ["a", "b", "c", "z"])[0]
    assert compare(["..."], [])[0]
    assert not compare(["a", "...", "z"], ["a", "b"])[0]
    assert not compare([], ["unexpected"])[0]


def test_the_listing_shows_only_real_differences() -> None:
    same, listing = compare(
        ["Deployment <id> created.", "...", "done <id>.", "bye"],
        ["Deployment 1775336d created.", "PROVISIONING", "done 1775336d.", "ciao"],
    )
    assert not same
    assert listing == [
        "  Deployment 1775336d created.",
        "~ PROVISIONING",
        "  done 1775336d.",
        "- bye",
        "+ ciao",
    ]


def test_a_session_shares_state_and_keeps_stderr_in_order(shell: Shell) -> None:
    body = '$ export GREETING=hi\n$ echo out; echo err >&2; echo "$GREETING"\nout\nerr\nhi\n'
    assert _problems(body, shell) == []


def test_echo_status_shows_the_previous_commands_exit_status(shell: Shell) -> None:
    assert _problems("$ (exit 3)\n$ echo $?\n3\n", shell) == []


def test_a_failing_command_must_show_its_status(shell: Shell) -> None:
    problems = _problems("$ echo boom >&2; (exit 4)\nboom\n", shell)
    assert problems == [
        "docs/page.md:4: `echo boom >&2; (exit 4)` exited 4, and the page does not show it: "
        "add `$ echo $?` and its output `4` after it, or fix the command"
    ]


def test_a_difference_names_the_page_line_and_shows_it(shell: Shell) -> None:
    problems = _problems("$ printf 'one\\ntwo\\n'\none\nthree\n", shell)
    assert len(problems) == 1
    head, *listing = problems[0].splitlines()
    assert (
        head == "docs/page.md:4: `printf 'one\\ntwo\\n'` printed other output than the page shows"
    )
    assert listing[1:] == ["  one", "- three", "+ two"]


def test_a_shell_that_exits_early_is_reported(shell: Shell) -> None:
    problems = _problems("$ exit 5\n$ echo never\nnever\n", shell)
    assert problems == [
        "docs/page.md:4: `exit 5` exited 5, and the page does not show it: add `$ echo $?` "
        "and its output `5` after it, or fix the command",
        "docs/page.md:5: `echo never` never ran: the shell exited before it",
    ]


def test_the_token_never_appears_in_output(shell: Shell) -> None:
    problems = _problems('$ echo "$SECRET"\n...\n', shell)
    assert problems == ['docs/page.md:4: `echo "$SECRET"` printed the API token']


def test_the_fake_url_reads_as_the_configured_one(shell: Shell) -> None:
    assert (
        _problems("$ echo http://127.0.0.1:9/v1/apps\nhttps://api.example/v1/apps\n", shell) == []
    )


def test_a_hanging_command_is_stopped(tmp_path: Path) -> None:
    slow = Shell(tmp_path, {"PATH": os.environ["PATH"]}, timeout=0.2)
    commands = _commands("$ sleep 30\n")
    problems = check(PAGE, commands, run(commands, slow), slow)
    assert problems == [
        "docs/page.md:4: `sleep 30` did not finish: the session was stopped after 0.2s"
    ]
