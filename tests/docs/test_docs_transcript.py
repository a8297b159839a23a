"""The one reader of terminal sessions: what the copy button copies, what the doc-tests
run and compare, and where the `koyeb` checks look."""

from __future__ import annotations

from guidetools.transcript import Command, Transcript, commands, parse

SESSION = """\
$ koyeb services list
ID  NAME  koyeb services broken
$ koyeb service redeploy \\
>     app/api \\
>     --wait
...

$ echo 'a \\\\'
a \\
  $ not a command

"""


def test_commands_carry_their_line_their_text_and_their_output() -> None:
    assert parse(SESSION, first_line=10) == Transcript(
        (
            Command(10, "koyeb services list", ("ID  NAME  koyeb services broken",)),
            Command(12, "koyeb service redeploy \\\n    app/api \\\n    --wait", ("...",)),
            Command(17, "echo 'a \\\\'", ("a \\", "  $ not a command")),
        )
    )


def test_the_copy_text_is_the_commands_without_prompts_or_output() -> None:
    assert commands(SESSION) == [
        "koyeb services list",
        "koyeb service redeploy \\\n    app/api \\\n    --wait",
        "echo 'a \\\\'",
    ]


def test_an_escaped_backslash_does_not_continue_the_command() -> None:
    assert commands("$ echo \\\\\n$ true\n") == ["echo \\\\", "true"]


def test_a_continuation_at_the_end_of_the_session_stops_there() -> None:
    assert commands("$ echo \\") == ["echo \\"]


def test_output_before_the_first_command_is_reported_with_its_line() -> None:
    found = parse("\nstray\n$ true\n", first_line=5)
    assert found.stray == 6
    assert [command.text for command in found.commands] == ["true"]
    assert parse("\n\n$ true\n").stray is None
