"""`koyeb ...` argv checked against the CLI's flag table, including the original guide's traps."""

from __future__ import annotations

import shlex

import pytest

from cachebust._koyeb_cli import (
    Invalid,
    KoyebCommand,
    ProblemKind,
    Unvalidated,
    build_arg_in_docker_args,
    parse,
    validate,
)


def accepted(line: str) -> KoyebCommand:
    result = parse(shlex.split(line))
    assert isinstance(result, KoyebCommand), result
    return result


def rejected(line: str) -> Invalid:
    result = parse(shlex.split(line))
    assert isinstance(result, Invalid), result
    return result


def test_redeploy_rejects_update_only_flags_and_says_where_they_exist() -> None:
    result = rejected("koyeb service redeploy app/api --docker-args x --skip-cache")
    assert [p.kind for p in result.problems] == [ProblemKind.FLAG_ELSEWHERE] * 2
    docker_args, skip_cache = (p.message for p in result.problems)
    assert "--docker-args" in docker_args and "services update" in docker_args
    assert "--skip-cache" in skip_cache and "services create, services update" in skip_cache
    # the value of --docker-args was not mistaken for a second service argument
    assert all(p.kind is not ProblemKind.EXTRA_ARGUMENT for p in result.problems)


def test_the_original_guide_build_arg_line_is_rejected_on_redeploy() -> None:
    result = rejected(
        'koyeb service redeploy app/api --docker-args "--build-arg CACHEBUST=$(date +%s)"'
    )
    assert [p.token for p in result.problems] == ["--docker-args"]


@pytest.mark.parametrize("flag", ["--follow", "-f"])
def test_logs_has_no_follow_flag(flag: str) -> None:
    result = rejected(f"koyeb service logs app/api {flag}")
    assert [p.kind for p in result.problems] == [ProblemKind.UNKNOWN_FLAG]
    assert result.problems[0].token == flag


def test_redeploy_with_cache_and_wait_is_valid() -> None:
    command = accepted("koyeb service redeploy app/api --use-cache --wait --wait-timeout 10m")
    assert (command.group, command.subcommand, command.positionals) == (
        "services",
        "redeploy",
        ("app/api",),
    )
    assert command.has("use-cache") and command.has("wait")
    assert command.values("wait-timeout") == ["10m"]


def test_build_logs_with_short_type_and_tail_are_valid() -> None:
    command = accepted("koyeb services logs app/api -t build --tail")
    assert command.values("type") == ["build"] and command.has("tail")


@pytest.mark.parametrize(
    "line",
    [
        "koyeb svc redeploy app/api",
        "koyeb s redeploy app/api --use-cache=false",
        "koyeb service l app/api --type=build",
        "koyeb service log app/api -tbuild",
        "koyeb services logs app/api -t=build",
        "koyeb deployment logs 0f4e1b2a -s 2026-01-01T00:00:00Z -e now --tail",
        "koyeb dep describe 0f4e1b2a",
        "koyeb depl cancel 0f4e1b2a",
        "koyeb d list --service app/api --app app",
        "koyeb services list",
        "koyeb services list -a app -n api",
        "koyeb --token tok --url http://127.0.0.1:8080 services get app/api",
        "koyeb -o json services get app/api --full",
        "koyeb services get app/api -dojson",
        "koyeb services describe -a app api",
        "koyeb service exec app/api -- ls -la",
        "koyeb service run app/api",
        "koyeb service attach app/api",
        "koyeb services update app/api --skip-cache --wait --wait-timeout 1h30m",
        "koyeb services update app/api --docker-arg a --docker-args b --region fra",
        "koyeb services update app/api --route /:8000 --port 8000:http --proxy 22:tcp",
        "koyeb services update app/api --check 8000:http:/ --healthcheck 8000:tcp",
        "koyeb services update app/api --health-checks-grace-period 8000=30",
        "koyeb services update app/api --volume data:/data --strategy blue-green",
        "koyeb services update app/api --git-docker-arg x --archive-docker-arg y",
        "koyeb services update app/api --min-scale 0 --light-sleep-delay 5m",
        "koyeb services redeploy app/api --wait-timeout $TIMEOUT",
        "koyeb services redeploy --help",
    ],
)
def test_valid_lines(line: str) -> None:
    accepted(line)


@pytest.mark.parametrize(
    ("line", "kind", "needle"),
    [
        ("koyeb service redeploy app/api --wait-timeout 10", ProblemKind.BAD_VALUE, "unit"),
        ("koyeb service redeploy app/api --use-cache=maybe", ProblemKind.BAD_VALUE, "bool"),
        ("koyeb services update app/api --min-scale one", ProblemKind.BAD_VALUE, "int"),
        ("koyeb services update app/api --strategy fast", ProblemKind.BAD_VALUE, "rolling"),
        ("koyeb -o xml services list", ProblemKind.BAD_VALUE, "yaml | json | table"),
        ("koyeb service redeploy app/api --wait-timeout", ProblemKind.MISSING_VALUE, "duration"),
        ("koyeb services logs app/api -t", ProblemKind.MISSING_VALUE, "-t"),
        ("koyeb service redeploy", ProblemKind.MISSING_ARGUMENT, "APP/SERVICE"),
        ("koyeb deployments logs", ProblemKind.MISSING_ARGUMENT, "its id"),
        ("koyeb service redeploy app api", ProblemKind.EXTRA_ARGUMENT, "unexpected: api"),
        ("koyeb services list app/api", ProblemKind.EXTRA_ARGUMENT, "accepts 0 arg(s)"),
        ("koyeb service rebuild app/api", ProblemKind.UNKNOWN_COMMAND, "redeploy"),
        ("koyeb servies list", ProblemKind.UNKNOWN_COMMAND, "services"),
        ("koyeb services", ProblemKind.MISSING_SUBCOMMAND, "redeploy"),
        ("koyeb deployments list --use-cache", ProblemKind.FLAG_ELSEWHERE, "redeploy"),
        ("koyeb services logs app/api -a", ProblemKind.MISSING_VALUE, "-a"),
        ("koyeb deployments list -a app", ProblemKind.UNKNOWN_FLAG, "'a'"),
        ("koyeb services redeploy app/api --region fra", ProblemKind.FLAG_ELSEWHERE, "update"),
    ],
)
def test_invalid_lines(line: str, kind: ProblemKind, needle: str) -> None:
    problems = rejected(line).problems
    assert kind in [p.kind for p in problems], problems
    assert any(needle in p.message for p in problems), problems


def test_every_problem_is_reported_not_just_the_first() -> None:
    problems = rejected("koyeb services logs --follow -f").problems
    kinds = [p.kind for p in problems]
    assert kinds.count(ProblemKind.UNKNOWN_FLAG) == 2
    assert ProblemKind.MISSING_ARGUMENT in kinds


def test_flags_keep_their_canonical_name_and_spelling() -> None:
    command = accepted("koyeb services update app/api --docker-arg=x --region fra -a app")
    assert [(u.name, u.spelled, u.value) for u in command.flags] == [
        ("docker-args", "--docker-arg", "x"),
        ("regions", "--region", "fra"),
        ("app", "-a", "app"),
    ]


@pytest.mark.parametrize("line", ["koyeb login", "koyeb apps list", "koyeb whoami", "koyeb"])
def test_commands_outside_the_table_are_reported_as_not_validated(line: str) -> None:
    result = parse(shlex.split(line))
    assert isinstance(result, Unvalidated)


def test_help_on_a_group_is_not_validated_rather_than_invalid() -> None:
    assert isinstance(parse(["koyeb", "services", "--help"]), Unvalidated)


def test_validate_reads_shell_text() -> None:
    result = validate('koyeb service redeploy \\\n  "$APP/$SERVICE" \\\n  --wait')
    assert isinstance(result, KoyebCommand)
    assert result.positionals == ("$APP/$SERVICE",)


def test_parse_refuses_a_non_koyeb_argv() -> None:
    with pytest.raises(ValueError, match="not a koyeb command"):
        parse(["docker", "build", "."])


@pytest.mark.parametrize(
    ("line", "flag"),
    [
        ('koyeb service update a/b --docker-args "--build-arg CACHEBUST=1"', "--docker-args"),
        ("koyeb service update a/b --git-docker-arg=--build-arg=X=1", "--git-docker-arg"),
        ("koyeb service update a/b --archive-docker-args '--build-arg X'", "--archive-docker-args"),
        ("koyeb service update a/b --docker-args serve --env A=--build-arg", None),
    ],
)
def test_build_arg_in_docker_args(line: str, flag: str | None) -> None:
    argv = shlex.split(line)
    assert build_arg_in_docker_args(argv) == flag
    assert isinstance(parse(argv), KoyebCommand)  # the flag table alone accepts them
