"""`cachebust doctor` on GitHub workflows: a forced uncached build on push passes; the original
guide's flags, an unknown flag and a cached deploy are each named, with the fix."""

from __future__ import annotations

from pathlib import Path

import pytest
from doctor_repos import make_repo, workflow

from cachebust._doctor import Check, Report, Status, diagnose


def doctor(tmp_path: Path, workflows: dict[str, str]) -> Report:
    return diagnose(make_repo(tmp_path, workflows=workflows), offline=True)


def checks(report: Report, check_id: str) -> list[Check]:
    return [c for c in report.checks if c.id == check_id]


def forced(report: Report) -> Check:
    (check,) = checks(report, "workflows.forced-rebuild")
    return check


def test_redeploy_without_use_cache_on_push_passes(tmp_path: Path) -> None:
    report = doctor(tmp_path, {"deploy.yml": workflow("koyeb service redeploy my-app/web --wait")})
    assert report.ok, report.lines()
    check = forced(report)
    assert check.status is Status.PASS and "push to main" in check.message
    assert check.where == ".github/workflows/deploy.yml:9"
    (valid,) = checks(report, "workflows.koyeb-cli")
    assert valid.status is Status.PASS and "1 `koyeb` command line(s)" in valid.message


@pytest.mark.parametrize(
    "run",
    [
        "cachebust rebuild",
        "make install\n.venv/bin/cachebust rebuild my-app/web --timeout 15m",
        "koyeb services update my-app/web --skip-cache --wait",
        "KOYEB_TOKEN=$T koyeb svc redeploy my-app/web",
        "docker build --build-arg CACHEBUST=${{ github.sha }} -t app . && docker push app",
        'docker buildx build --build-arg "CACHEBUST=$(date +%s)" .',
    ],
)
def test_each_way_of_forcing_an_uncached_build_passes(tmp_path: Path, run: str) -> None:
    report = doctor(tmp_path, {"deploy.yml": workflow(run)})
    assert forced(report).status is Status.PASS, report.lines()
    assert report.ok


def test_build_push_action_with_a_changing_build_arg_passes(tmp_path: Path) -> None:
    text = (
        "on: [push]\njobs:\n  image:\n    runs-on: ubuntu-latest\n    steps:\n"
        "      - uses: docker/build-push-action@v6\n        with:\n"
        "          build-args: |\n            CACHEBUST=${{ github.run_id }}\n"
    )
    report = doctor(tmp_path, {"image.yml": text})
    assert forced(report).status is Status.PASS, report.lines()


def test_the_original_guides_docker_args_build_arg_is_named_and_explained(tmp_path: Path) -> None:
    run = 'koyeb service update my-app/web --docker-args "--build-arg CACHEBUST=$(date +%s)"'
    report = doctor(tmp_path, {"deploy.yml": workflow(run)})
    (check,) = checks(report, "workflows.docker-args-build-arg")
    assert check.status is Status.FAIL and not report.ok
    assert "the original guide's mistake" in check.message
    assert "no field for build arguments" in check.message
    assert "switches the service to a Docker-image source" in check.message
    assert "unconfirmed" in check.message
    assert "cachebust rebuild" in check.fix and "koyeb service redeploy my-app/web" in check.fix
    # and that update, without --skip-cache, deploys with the cache
    assert forced(report).status is Status.FAIL


def test_git_docker_args_build_arg_is_named_as_run_time_arguments(tmp_path: Path) -> None:
    run = 'koyeb service update my-app/web --git-docker-args "--build-arg CACHEBUST=2"'
    report = doctor(tmp_path, {"deploy.yml": workflow(run)})
    (check,) = checks(report, "workflows.docker-args-build-arg")
    assert "--git-docker-args sets the built image's run-time CMD arguments" in check.message


def test_docker_args_on_redeploy_is_reported_once_as_the_guides_mistake(tmp_path: Path) -> None:
    run = "koyeb service redeploy my-app/web --docker-args '--build-arg CACHEBUST=2'"
    report = doctor(tmp_path, {"deploy.yml": workflow(run)})
    (check,) = checks(report, "workflows.docker-args-build-arg")
    assert "does not even accept it" in check.message
    assert checks(report, "workflows.koyeb-cli") == [], "no second report of the same flag"


def test_redeploy_with_skip_cache_is_rejected_with_where_the_flag_lives(tmp_path: Path) -> None:
    run = "koyeb service redeploy my-app/web --skip-cache"
    report = doctor(tmp_path, {"deploy.yml": workflow(run)})
    (check,) = checks(report, "workflows.koyeb-cli")
    assert check.status is Status.FAIL and not report.ok
    assert "unknown flag --skip-cache" in check.message
    assert "it exists on: services create, services update" in check.message
    assert "already builds without the cache" in check.fix
    assert "--use-cache" in check.fix  # the flags redeploy does have
    # a rejected command forces nothing
    assert forced(report).status is not Status.PASS


def test_logs_follow_gets_the_tail_hint(tmp_path: Path) -> None:
    run = "cachebust rebuild\nkoyeb service logs my-app/web -t build --follow"
    report = doctor(tmp_path, {"deploy.yml": workflow(run)})
    (check,) = checks(report, "workflows.koyeb-cli")
    assert "--tail" in check.fix and check.where == ".github/workflows/deploy.yml:10"


@pytest.mark.parametrize(
    ("run", "why"),
    [
        ("koyeb service redeploy my-app/web --use-cache", "--use-cache"),
        ("koyeb service redeploy my-app/web --skip-build", "--skip-build"),
        ("koyeb service update my-app/web --env A=1", "update my-app/web --env A=1"),
        ("cachebust rebuild --use-cache", "--use-cache"),
        ("koyeb deploy . my-app/web", "koyeb deploy"),
    ],
)
def test_a_deploy_on_push_that_keeps_the_cache_fails(tmp_path: Path, run: str, why: str) -> None:
    report = doctor(tmp_path, {"deploy.yml": workflow(run)})
    check = forced(report)
    assert check.status is Status.FAIL and not report.ok, report.lines()
    assert why in check.message and "reuse its build cache" in check.message
    assert "cachebust rebuild" in check.fix


def test_a_workflow_that_never_deploys_warns(tmp_path: Path) -> None:
    report = doctor(tmp_path, {"ci.yml": workflow("make test")})
    check = forced(report)
    assert check.status is Status.WARN and report.ok
    assert "No workflow asks for an uncached build" in check.message
    assert "cachebust rebuild" in check.fix


@pytest.mark.parametrize(
    "on",
    [
        "workflow_dispatch:",
        "push:\n    tags: ['v*']",
        "push:\n    branches-ignore: [main, master]",
        "push:\n    branches: [develop]",
    ],
)
def test_forcing_only_off_the_default_branch_warns(tmp_path: Path, on: str) -> None:
    report = doctor(tmp_path, {"deploy.yml": workflow("cachebust rebuild", on=on)})
    check = forced(report)
    assert check.status is Status.WARN, report.lines()
    assert "does not run on a push to the default branch" in check.message


@pytest.mark.parametrize("on", ["push", "[push, pull_request]", "push:\n    branches: ['**']"])
def test_trigger_spellings_that_include_the_default_branch(tmp_path: Path, on: str) -> None:
    report = doctor(tmp_path, {"deploy.yml": workflow("cachebust rebuild", on=on)})
    assert forced(report).status is Status.PASS, report.lines()


def test_the_default_branch_is_read_from_the_clone(tmp_path: Path) -> None:
    repo = make_repo(
        tmp_path,
        workflows={"d.yml": workflow("cachebust rebuild", on="push:\n    branches: [trunk]")},
    )
    head = repo / ".git" / "refs" / "remotes" / "origin"
    head.mkdir(parents=True)
    (head / "HEAD").write_text("ref: refs/remotes/origin/trunk\n")
    check = forced(diagnose(repo, offline=True))
    assert check.status is Status.PASS and "push to trunk" in check.message


def test_no_workflows_warns(tmp_path: Path) -> None:
    report = doctor(tmp_path, {})
    (check,) = checks(report, "workflows.found")
    assert check.status is Status.WARN and report.ok
    assert "cachebust rebuild" in check.fix


def test_invalid_yaml_fails(tmp_path: Path) -> None:
    report = doctor(
        tmp_path, {"bad.yml": "on: [push\njobs: {", "deploy.yml": workflow("cachebust rebuild")}
    )
    (check,) = checks(report, "workflows.yaml")
    assert check.status is Status.FAIL and check.where == ".github/workflows/bad.yml"
    assert forced(report).status is Status.PASS  # the readable workflow is still checked


def test_commands_outside_the_flag_table_are_counted_not_judged(tmp_path: Path) -> None:
    run = "koyeb apps list\nkoyeb service redeploy my-app/web"
    (check,) = checks(doctor(tmp_path, {"d.yml": workflow(run)}), "workflows.koyeb-cli")
    assert check.status is Status.PASS and "1 outside its flag table" in check.message


def test_lines_with_expressions_are_located(tmp_path: Path) -> None:
    run = "koyeb service redeploy ${{ vars.APP }}/web --skip-cache"
    (check,) = checks(doctor(tmp_path, {"d.yml": workflow(run)}), "workflows.koyeb-cli")
    assert check.where == ".github/workflows/d.yml:9"
    assert "received 1" not in check.message  # the expression stayed one argument


def test_any_of_several_build_push_action_build_args_can_force(tmp_path: Path) -> None:
    text = (
        "on: [push]\njobs:\n  image:\n    runs-on: ubuntu-latest\n    steps:\n"
        "      - uses: docker/build-push-action@v6\n        with:\n"
        "          build-args: |\n            PY=3.12\n            CACHEBUST=${{ github.sha }}\n"
    )
    assert forced(doctor(tmp_path, {"image.yml": text})).status is Status.PASS


_USES_ACTION = """\
on:
  push:
    branches: [main]
jobs:
  deploy:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - uses: ./{path}{with_}
"""


@pytest.mark.parametrize(
    ("with_", "status"),
    [
        ("", Status.PASS),
        ('\n        with:\n          use-cache: "false"', Status.PASS),
        ("\n        with:\n          use-cache: true", Status.FAIL),
    ],
)
def test_the_projects_own_action_used_locally_counts_as_cachebust_rebuild(
    tmp_path: Path, repo_root: Path, with_: str, status: Status
) -> None:
    make_repo(tmp_path)
    (tmp_path / "action.yml").write_text((repo_root / "action.yml").read_text())
    report = doctor(tmp_path, {"deploy.yml": _USES_ACTION.format(path="", with_=with_)})
    check = forced(report)
    assert check.status is status, report.lines()
    assert "`cachebust rebuild`" in check.message
    assert check.where == ".github/workflows/deploy.yml:9"


def test_another_local_action_is_not_taken_for_it(tmp_path: Path) -> None:
    make_repo(tmp_path)
    other = tmp_path / "tools" / "action.yml"
    other.parent.mkdir()
    other.write_text("runs:\n  using: composite\n  steps:\n    - run: echo hi\n      shell: bash\n")
    report = doctor(tmp_path, {"deploy.yml": _USES_ACTION.format(path="tools", with_="")})
    assert forced(report).status is Status.WARN, report.lines()
