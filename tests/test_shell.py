"""The one shell splitter: simple commands as bash would run them."""

from __future__ import annotations

import pytest

from cachebust._shell import simple_commands


def words(script: str) -> list[tuple[str, ...]]:
    return [command.words for command in simple_commands(script)]


@pytest.mark.parametrize(
    ("script", "expected"),
    [
        ("a b; c && d || e | f & g", [("a", "b"), ("c",), ("d",), ("e",), ("f",), ("g",)]),
        ("echo a#b c # comment", [("echo", "a#b", "c")]),
        ("echo '# not a comment' \"x;y\"", [("echo", "# not a comment", "x;y")]),
        ("koyeb x 2>&1 >/dev/null > out.txt &>all", [("koyeb", "x")]),
        # Unquoted, a substitution's parentheses end commands like a subshell's.
        ("x=`koyeb a` && y", [("x=$",), ("koyeb", "a"), ("y",)]),
        (
            'echo "$(koyeb d get "$ID")"',
            [("koyeb", "d", "get", "$ID"), ("echo", "$(koyeb d get $ID)")],
        ),
        ("( cd x && make )", [("cd", "x"), ("make",)]),
        ("# only a comment", []),
    ],
)
def test_simple_commands(script: str, expected: list[tuple[str, ...]]) -> None:
    assert words(script) == expected


def test_continuations_keep_the_first_line_number() -> None:
    (first, second) = simple_commands("\nkoyeb a \\\n  --b \\\n  c\nnext\n")
    assert (first.lineno, first.words) == (2, ("koyeb", "a", "--b", "c"))
    assert (second.lineno, second.words) == (5, ("next",))


def test_program_skips_assignments_and_prefixes() -> None:
    (command,) = simple_commands("A=1 sudo env B=2 /usr/bin/koyeb list")
    assert command.program() == ("/usr/bin/koyeb", "list")
    assert command.source == "A=1 sudo env B=2 /usr/bin/koyeb list"


def test_an_unclosed_quote_is_an_error_for_its_line() -> None:
    good, bad = simple_commands('ok\nkoyeb logs "a/b\n')
    assert good.words == ("ok",)
    assert bad.lineno == 2 and bad.words == () and "No closing quotation" in (bad.error or "")
