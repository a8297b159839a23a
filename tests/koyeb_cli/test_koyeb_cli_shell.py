"""Finding `koyeb` command lines in shell text: scripts, workflow steps, the commands of
a console session (guidetools.transcript takes those out of the session first)."""

from __future__ import annotations

from cachebust._koyeb_cli import Invalid, KoyebCommand, find_commands, validate_text


def argvs(text: str) -> list[tuple[str, ...]]:
    return [found.argv for found in find_commands(text)]


def test_continuations_are_joined_and_numbered_from_their_first_line() -> None:
    text = "set -e\nkoyeb service redeploy \\\n    app/api \\\n    --wait\necho done\n"
    (found,) = find_commands(text)
    assert found.lineno == 2
    assert found.argv == ("koyeb", "service", "redeploy", "app/api", "--wait")


def test_operators_pipes_and_env_prefixes() -> None:
    text = (
        "KOYEB_TOKEN=x KOYEB_URL=http://127.0.0.1 koyeb services list -o json | jq . && "
        'echo "koyeb ok"; sudo env A=1 /usr/bin/koyeb d list || true & koyeb login'
    )
    assert argvs(text) == [
        ("koyeb", "services", "list", "-o", "json"),
        ("/usr/bin/koyeb", "d", "list"),
        ("koyeb", "login"),
    ]


def test_command_substitutions_are_searched_too() -> None:
    text = 'ID=$(koyeb services get a/b -o json | jq -r .id)\necho "$(koyeb d get "$ID")"'
    assert argvs(text) == [
        ("koyeb", "services", "get", "a/b", "-o", "json"),
        ("koyeb", "d", "get", "$ID"),
    ]


def test_comments_redirections_and_quoted_operators() -> None:
    text = (
        "# koyeb services nonsense\n"
        "koyeb services logs a/b -t build 2>&1 >/dev/null > out.txt  # --follow\n"
        "koyeb services update a/b --env 'A=1;B=2' --env \"C=a|b\"\n"
    )
    assert argvs(text) == [
        ("koyeb", "services", "logs", "a/b", "-t", "build"),
        ("koyeb", "services", "update", "a/b", "--env", "A=1;B=2", "--env", "C=a|b"),
    ]


def test_other_programs_mentioning_koyeb_are_ignored() -> None:
    assert argvs("echo koyeb services list\npip install koyeb-sdk\nkoyebx services list") == []


def test_an_unclosed_quote_is_reported_not_dropped() -> None:
    ((found, verdict),) = validate_text('koyeb services logs "a/b')
    assert found.error and found.argv == ()
    assert isinstance(verdict, Invalid)
    assert "cannot split" in verdict.problems[0].message


def test_validate_text_pairs_each_command_with_its_verdict() -> None:
    text = "koyeb service logs app/api --follow\nkoyeb service logs app/api --tail"
    results = validate_text(text)
    assert [type(verdict) for _, verdict in results] == [Invalid, KoyebCommand]
