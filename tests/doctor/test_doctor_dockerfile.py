"""`cachebust doctor` on Dockerfiles: the right layout passes, each mistake is named and fixed."""

from __future__ import annotations

from pathlib import Path

import pytest
from doctor_repos import DOCKERFILE, make_repo

from cachebust._doctor import Check, Report, Status, diagnose


def doctor(repo: Path, **kwargs: object) -> Report:
    return diagnose(repo, offline=True, **kwargs)  # type: ignore[arg-type]


def only(report: Report, check_id: str) -> Check:
    found = [c for c in report.checks if c.id == check_id]
    assert len(found) == 1, (check_id, report.lines())
    return found[0]


def test_the_correct_layout_passes_every_check(tmp_path: Path) -> None:
    report = doctor(make_repo(tmp_path))
    assert report.ok
    assert {c.status for c in report.checks} == {Status.PASS}, report.lines()
    ids = [c.id for c in report.checks]
    assert ids[:8] == [
        "config",
        "dockerfile.exists",
        "dockerfile.source-copy",
        "dockerfile.arg-declared",
        "dockerfile.arg-consumed",
        "dockerfile.arg-before-source",
        "dockerfile.arg-after-deps",
        "dockerfile.arg-default",
    ]
    assert only(report, "dockerfile.arg-declared").where == "Dockerfile:5"
    assert 'defaults to "7"' in only(report, "dockerfile.arg-default").message


def broken(tmp_path: Path, dockerfile: str, check_id: str, status: Status) -> Check:
    report = doctor(make_repo(tmp_path, dockerfile=dockerfile))
    check = only(report, check_id)
    assert check.status is status, report.lines()
    assert check.fix, "every non-pass carries a fix"
    assert report.ok is (status is not Status.FAIL)
    return check


def test_arg_after_the_source_copy_fails(tmp_path: Path) -> None:
    dockerfile = DOCKERFILE.replace(
        'ARG CACHEBUST=7\nRUN echo "cache bust: ${CACHEBUST}"\nCOPY . .\n',
        'COPY . .\nARG CACHEBUST=7\nRUN echo "cache bust: ${CACHEBUST}"\n',
    )
    check = broken(tmp_path, dockerfile, "dockerfile.arg-before-source", Status.FAIL)
    assert "comes after `COPY . .` (line 5)" in check.message
    assert "stay cached" in check.message
    assert "Move `ARG CACHEBUST` and the RUN that uses it above line 5" in check.fix


def test_arg_before_the_copy_but_its_first_run_after_it_fails(tmp_path: Path) -> None:
    dockerfile = DOCKERFILE.replace(
        'RUN echo "cache bust: ${CACHEBUST}"\nCOPY . .\n',
        'COPY . .\nRUN echo "cache bust: ${CACHEBUST}"\n',
    )
    check = broken(tmp_path, dockerfile, "dockerfile.arg-before-source", Status.FAIL)
    assert "the first step a new CACHEBUST rebuilds is line 7, after line 6" in check.message


def test_an_arg_nothing_uses_fails(tmp_path: Path) -> None:
    dockerfile = DOCKERFILE.replace('RUN echo "cache bust: ${CACHEBUST}"\n', "")
    check = broken(tmp_path, dockerfile, "dockerfile.arg-consumed", Status.FAIL)
    assert "an ARG nothing uses does not bust anything" in check.message
    assert 'RUN echo "cache bust: ${CACHEBUST}"' in check.fix


def test_an_arg_used_only_implicitly_warns(tmp_path: Path) -> None:
    dockerfile = DOCKERFILE.replace('RUN echo "cache bust: ${CACHEBUST}"', "RUN date > /built")
    check = broken(tmp_path, dockerfile, "dockerfile.arg-consumed", Status.WARN)
    assert "implicitly" in check.message and "line 6" in check.message


def test_a_missing_arg_fails(tmp_path: Path) -> None:
    dockerfile = DOCKERFILE.replace("ARG CACHEBUST=7\n", "").replace(
        'RUN echo "cache bust: ${CACHEBUST}"\n', ""
    )
    check = broken(tmp_path, dockerfile, "dockerfile.arg-declared", Status.FAIL)
    assert check.message.startswith("No ARG CACHEBUST in Dockerfile")
    assert "ARG CACHEBUST=7" in check.fix and "source copy (`COPY . .`, line 5)" in check.fix


MULTI_STAGE = """\
FROM python:3.12-slim AS deps
ARG CACHEBUST=7
RUN echo "cache bust: ${CACHEBUST}"
COPY requirements.txt .
RUN pip wheel -r requirements.txt -w /wheels

FROM python:3.12-slim AS runtime
COPY --from=deps /wheels /wheels
RUN pip install /wheels/*
COPY . .
"""


def test_arg_in_the_wrong_stage_fails(tmp_path: Path) -> None:
    check = broken(tmp_path, MULTI_STAGE, "dockerfile.arg-declared", Status.FAIL)
    assert "declared in stage 'deps', but the source is copied in stage 'runtime'" in check.message
    assert check.where == "Dockerfile:2"
    assert check.fix.startswith("In stage 'runtime'")


def test_arg_declared_only_before_the_first_from_fails(tmp_path: Path) -> None:
    dockerfile = "ARG CACHEBUST=7\n" + DOCKERFILE.replace("ARG CACHEBUST=7\n", "")
    check = broken(tmp_path, dockerfile, "dockerfile.arg-declared", Status.FAIL)
    assert "only before the first FROM" in check.message
    assert "inherits the global default" in check.fix


def test_arg_in_the_right_stage_of_a_multi_stage_build_passes(tmp_path: Path) -> None:
    dockerfile = MULTI_STAGE.replace(
        'ARG CACHEBUST=7\nRUN echo "cache bust: ${CACHEBUST}"\n', ""
    ).replace("COPY . .\n", 'ARG CACHEBUST\nRUN echo "cache bust: ${CACHEBUST}"\nCOPY . .\n')
    report = doctor(make_repo(tmp_path, dockerfile="ARG CACHEBUST=7\n" + dockerfile))
    assert report.ok and {c.status for c in report.checks} == {Status.PASS}, report.lines()
    assert "stage 'runtime'" in only(report, "dockerfile.arg-declared").message
    # the bare ARG in the stage inherits the global default
    assert 'defaults to "7"' in only(report, "dockerfile.arg-default").message


def test_the_stage_that_builds_from_source_is_the_one_checked(tmp_path: Path) -> None:
    dockerfile = """\
FROM node:22 AS build
WORKDIR /src
COPY package.json package-lock.json ./
RUN npm ci
ARG CACHEBUST=7
RUN echo "cache bust: ${CACHEBUST}"
COPY . .
RUN npm run build

FROM nginx:1.27
COPY --from=build /src/dist /usr/share/nginx/html
"""
    report = doctor(make_repo(tmp_path, dockerfile=dockerfile))
    assert report.ok and {c.status for c in report.checks} == {Status.PASS}, report.lines()
    assert "stage 'build'" in only(report, "dockerfile.source-copy").message


def test_arg_before_the_dependency_install_warns(tmp_path: Path) -> None:
    dockerfile = DOCKERFILE.replace(
        'ARG CACHEBUST=7\nRUN echo "cache bust: ${CACHEBUST}"\n', ""
    ).replace(
        "COPY requirements.txt .\n",
        'ARG CACHEBUST=7\nRUN echo "cache bust: ${CACHEBUST}"\nCOPY requirements.txt .\n',
    )
    check = broken(tmp_path, dockerfile, "dockerfile.arg-after-deps", Status.WARN)
    assert "reinstalls the dependencies" in check.message
    assert "below line 6" in check.fix


def test_an_arg_without_a_default_warns(tmp_path: Path) -> None:
    dockerfile = DOCKERFILE.replace("ARG CACHEBUST=7", "ARG CACHEBUST")
    check = broken(tmp_path, dockerfile, "dockerfile.arg-default", Status.WARN)
    assert "no field for build arguments" in check.message
    assert "`ARG CACHEBUST=7`" in check.fix


def test_no_source_copy_warns(tmp_path: Path) -> None:
    dockerfile = DOCKERFILE.replace("COPY . .\n", "")
    check = broken(tmp_path, dockerfile, "dockerfile.source-copy", Status.WARN)
    assert "No COPY or ADD brings application source" in check.message


def test_a_missing_dockerfile_fails(tmp_path: Path) -> None:
    report = doctor(make_repo(tmp_path, dockerfile=None))
    check = only(report, "dockerfile.exists")
    assert check.status is Status.FAIL and "Dockerfile not found" in check.message
    assert "dockerfile" in check.fix and not report.ok


def test_the_configured_dockerfile_path_is_used(tmp_path: Path) -> None:
    pyproject = make_repo(tmp_path / "probe").joinpath("pyproject.toml").read_text()
    repo = make_repo(
        tmp_path / "repo",
        pyproject=pyproject.replace(
            'dockerfile = "Dockerfile"', 'dockerfile = "backend/Dockerfile"'
        ),
        dockerfile_path="backend/Dockerfile",
    )
    report = doctor(repo)
    assert report.ok, report.lines()
    assert only(report, "dockerfile.arg-declared").where == "backend/Dockerfile:5"


def test_without_configuration_the_dockerfile_and_arg_are_found(tmp_path: Path) -> None:
    report = doctor(make_repo(tmp_path, pyproject=None))
    config = only(report, "config")
    assert config.status is Status.WARN and "No [tool.cachebust]" in config.message
    assert report.ok
    assert "ARG CACHEBUST" in only(report, "dockerfile.arg-declared").message


def test_arg_option_names_the_build_argument(tmp_path: Path) -> None:
    dockerfile = DOCKERFILE.replace("CACHEBUST", "SOURCE_VERSION")
    repo = make_repo(tmp_path, dockerfile=dockerfile, pyproject=None)
    assert not doctor(repo).ok  # no ARG whose name says BUST
    report = doctor(repo, arg="SOURCE_VERSION")
    assert report.ok and only(report, "dockerfile.arg-declared").status is Status.PASS


def test_an_invalid_configuration_fails(tmp_path: Path) -> None:
    repo = make_repo(tmp_path, pyproject='[tool.cachebust]\napp = "x"\n')
    check = only(doctor(repo), "config")
    assert check.status is Status.FAIL and "Incomplete" in check.message


@pytest.mark.parametrize(
    "line",
    ["COPY requirements*.txt ./", "COPY pyproject.toml poetry.lock ./", "ADD package.json ."],
)
def test_copying_only_dependency_manifests_is_not_the_source_copy(
    tmp_path: Path, line: str
) -> None:
    dockerfile = DOCKERFILE.replace("COPY requirements.txt .", line)
    report = doctor(make_repo(tmp_path, dockerfile=dockerfile))
    assert "`COPY . .`" in only(report, "dockerfile.source-copy").message


def test_no_named_and_no_guessable_arg_fails_with_how_to_name_it(tmp_path: Path) -> None:
    dockerfile = DOCKERFILE.replace("ARG CACHEBUST=7\n", "ARG VERSION=7\n")
    report = doctor(make_repo(tmp_path, dockerfile=dockerfile, pyproject=None))
    check = only(report, "dockerfile.arg-declared")
    assert check.status is Status.FAIL and "no ARG whose name contains BUST" in check.message
    assert "--arg NAME" in check.fix and "`ARG NAME=1`" in check.fix
