"""`cachebust doctor` as a command: on this repository (offline and against the fake API over
HTTP) and on fixture folders; text and JSON output, exit codes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from doctor_repos import DOCKERFILE, make_repo

from cachebust._errors import ExitCode
from cachebust.cli import root
from cachebust.fake import FakeServer

CACHEBUST = Path(sys.executable).parent / "cachebust"


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(root, ["doctor", *args])
    return result.exit_code, result.output


def test_this_repository_passes_offline(repo_root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(repo_root)  # PATH defaults to the current folder
    code, output = run("--offline")
    assert code == ExitCode.OK, output
    lines = output.splitlines()
    assert all(line.startswith("pass  ") for line in lines[:-1]), output
    assert lines[-1].endswith("0 failed (offline: the Koyeb API checks were skipped)")


def test_this_repository_passes_against_the_fake_api(
    repo_root: Path, koyeb_fake_server: FakeServer
) -> None:
    env = {
        **os.environ,
        "KOYEB_URL": koyeb_fake_server.url,
        "KOYEB_TOKEN": koyeb_fake_server.fake.token,
        "HOME": str(repo_root / "nonexistent-home"),
    }
    result = subprocess.run(
        [str(CACHEBUST), "doctor"], cwd=repo_root, env=env, capture_output=True, text=True
    )
    assert result.returncode == ExitCode.OK, result.stdout + result.stderr
    ids = [line.split()[1].rstrip(":") for line in result.stdout.splitlines()[:-1]]
    assert ids[-5:] == [
        "remote.token",
        "remote.service",
        "remote.deployment",
        "remote.commit",
        "remote.build-cache",
    ]
    assert "fail" not in {line.split()[0] for line in result.stdout.splitlines()[:-1]}
    assert koyeb_fake_server.fake.token not in result.stdout + result.stderr


def test_a_broken_project_exits_1_with_each_fix(tmp_path: Path) -> None:
    repo = make_repo(tmp_path, dockerfile=DOCKERFILE.replace("ARG CACHEBUST=7\n", ""))
    code, output = run(str(repo), "--offline")
    assert code == ExitCode.CHECKS_FAILED
    lines = output.splitlines()
    failing = [i for i, line in enumerate(lines) if line.startswith("fail  ")]
    assert failing
    for index in failing:
        assert lines[index + 1].startswith("      fix: "), output
    assert "fail  dockerfile.arg-declared: No ARG CACHEBUST in Dockerfile" in output


def test_warnings_alone_exit_0(tmp_path: Path) -> None:
    repo = make_repo(tmp_path, dockerfile=DOCKERFILE.replace("ARG CACHEBUST=7", "ARG CACHEBUST"))
    code, output = run(str(repo), "--offline")
    assert code == ExitCode.OK and "warn  dockerfile.arg-default" in output


def test_json_output(tmp_path: Path) -> None:
    code, output = run(str(make_repo(tmp_path)), "--offline", "--json")
    data = json.loads(output)
    assert code == ExitCode.OK and data["ok"] is True
    assert data["summary"]["fail"] == 0 and data["notes"]
    first = data["checks"][0]
    assert set(first) == {"id", "status", "message", "fix", "where"}
    assert first["id"] == "config" and first["status"] == "pass"


def test_json_output_of_a_failure_exits_1(tmp_path: Path) -> None:
    code, output = run(str(make_repo(tmp_path, dockerfile=None)), "--offline", "--json")
    data = json.loads(output)
    assert code == ExitCode.CHECKS_FAILED and data["ok"] is False
    assert any(c["id"] == "dockerfile.exists" and c["fix"] for c in data["checks"])


def test_arg_option(tmp_path: Path) -> None:
    repo = make_repo(tmp_path, dockerfile=DOCKERFILE.replace("CACHEBUST", "SOURCE_REV"))
    assert run(str(repo), "--offline")[0] == ExitCode.CHECKS_FAILED  # config names CACHEBUST
    assert run(str(repo), "--offline", "--arg", "SOURCE_REV")[0] == ExitCode.OK


def test_a_missing_path_is_a_usage_error(tmp_path: Path) -> None:
    code, output = run(str(tmp_path / "missing"))
    assert code == ExitCode.USAGE and "does not exist" in output


def test_help_lists_the_exit_codes() -> None:
    code, output = run("--help")
    assert code == 0
    assert "1  `cachebust doctor` found a failing check, or" in output and "--offline" in output
