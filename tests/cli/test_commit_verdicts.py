"""`cachebust status` and `rebuild` answer "is Koyeb running my commit?" and "did the
rebuild use the cache?", in a throwaway git checkout against the fake on loopback."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from tests.cli.conftest import Cli, serving
from tests.doctor.doctor_repos import make_repo
from tests.git_checkout import commit, git, init

from cachebust._config import load
from cachebust.fake import FakeKoyeb

#: Simulated time, so a loaded machine cannot make a wait time out.
TIMEOUT = ("--timeout", "2h")


def _status(cli: Cli) -> dict[str, Any]:
    result = cli("status", "--json")
    assert result.exit_code == 0, result.output
    report: dict[str, Any] = json.loads(result.stdout)
    return report


def _events(text: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in text.splitlines()]


def test_a_commit_koyeb_does_not_run_then_a_rebuild_of_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = init(make_repo(tmp_path / "repo"))
    deployed = git(repo, "rev-parse", "HEAD")
    fake = FakeKoyeb(settings=load(repo))  # its deployments run the checkout's HEAD
    new = commit(repo, "Fix the bug")
    monkeypatch.chdir(repo)
    with serving(fake, tmp_path / "home") as cli:
        before = _status(cli)
        assert before["up_to_date"] is False
        assert before["running_commit"] == deployed and before["local_commit"] == new
        assert before["commits_behind"] == 1 and before["verdict"]["kind"] == "behind"
        assert before["verdict"]["message"] == (
            f"1 commit behind: Koyeb runs {deployed[:7]}, your HEAD is {new[:7]}."
        )
        plain = cli("status").stdout.splitlines()
        assert plain[-2] == f"local HEAD:         {new[:7]}"
        assert plain[-1].startswith(
            f"verdict:            1 commit behind: Koyeb runs {deployed[:7]}"
        )

        # The commit reaches the service's branch; the deployment its push starts is slow.
        fake.next_deployment_outcome("stuck")
        fake.push(sha=new)
        building = _status(cli)
        assert building["up_to_date"] is False and building["verdict"]["kind"] == "building"
        assert building["latest_deployment"]["commit"] == new

        rebuilt = cli("rebuild", *TIMEOUT)
        assert rebuilt.exit_code == 0, rebuilt.output
        after = _status(cli)
        assert after["up_to_date"] is True and after["running_commit"] == new
        assert (
            after["verdict"]["message"] == f"running your commit: Koyeb runs {new[:7]}, your HEAD."
        )

    # A fake seeded from the new HEAD: a rebuild keeps running it.
    fresh = FakeKoyeb(settings=load(repo))
    with serving(fresh, tmp_path / "home") as cli:
        assert cli("rebuild", *TIMEOUT).exit_code == 0
        assert _status(cli)["up_to_date"] is True


def test_outside_a_git_checkout_up_to_date_is_null(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = make_repo(tmp_path / "plain")
    fake = FakeKoyeb(settings=load(repo))
    monkeypatch.chdir(repo)
    with serving(fake, tmp_path / "home") as cli:
        report = _status(cli)
        assert report["up_to_date"] is None and report["local_commit"] is None
        assert report["running_commit"] and report["verdict"]["kind"] == "no-checkout"
        assert cli("status").stdout.splitlines()[-2] == "local HEAD:         (not a git checkout)"


def test_the_cache_verdict_differs_between_an_uncached_rebuild_and_use_cache(cli: Cli) -> None:
    uncached = cli("rebuild", *TIMEOUT)
    cached = cli("rebuild", "--use-cache", *TIMEOUT)
    assert uncached.exit_code == cached.exit_code == 0, uncached.output + cached.output
    inferred = "(inferred from its build log's `#N CACHED` lines)."
    last_uncached, last_cached = uncached.stdout.splitlines()[-1], cached.stdout.splitlines()[-1]
    assert last_uncached.endswith(f"ran all 5 Dockerfile steps without the cache {inferred}")
    assert last_cached.endswith(f"took all 5 Dockerfile steps from the cache {inferred}")
    events = _events(cli("rebuild", "--use-cache", "--json", *TIMEOUT).stdout)
    assert events[-1]["event"] == "cache" and events[-1]["verdict"] == "cached:5-of-5"
    events = _events(cli("rebuild", "--json", *TIMEOUT).stdout)
    assert events[-1]["verdict"] == "uncached" and events[-1]["cached"] == []


def test_logs_prints_the_build_log_while_it_builds_and_stops_with_it(cli: Cli) -> None:
    result = cli("rebuild", "--logs", "--json", *TIMEOUT)
    assert result.exit_code == 0, result.output
    events = _events(result.stdout)
    kinds = [e["event"] for e in events]
    logged = [e["msg"] for e in events if e["event"] == "log"]
    # The whole build log, before the statuses that follow the build, then the verdict.
    deployment_id = events[1]["deployment_id"]
    assert logged == _build_log(cli.fake, deployment_id)
    first_status = kinds.index("status")
    assert set(kinds[2:first_status]) == {"log"} and "log" not in kinds[first_status:]
    assert kinds[-2:] == ["done", "cache"] and events[-1]["verdict"] == "uncached"
    plain = cli("rebuild", "--logs", *TIMEOUT).stdout.splitlines()
    assert plain[2].startswith("#0 ") and any(line.startswith("#11 DONE") for line in plain)


def test_logs_of_a_build_that_fails_end_with_the_failure(cli: Cli) -> None:
    cli.fake.next_deployment_outcome("error")
    result = cli("rebuild", "--logs", *TIMEOUT)
    assert result.exit_code == 5, result.output
    assert any(" ERROR: " in line for line in result.stdout.splitlines())
    assert "Dockerfile steps" not in result.stdout  # no verdict on a failed build


def test_logs_give_up_at_the_timeout(cli: Cli) -> None:
    cli.fake.next_deployment_outcome("stuck")
    result = cli("rebuild", "--logs", "--timeout", "90s")
    assert result.exit_code == 6, result.output
    assert "after 1m30s" in result.stderr


def test_fake_api_head_sha_takes_a_revision_of_the_checkout(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = init(make_repo(tmp_path / "repo"))
    older = git(repo, "rev-parse", "HEAD")
    commit(repo, "Newer")
    from cachebust.cli._fake_api import _commit

    assert _commit("HEAD~1", repo) == older
    assert _commit("a" * 40, repo) == "a" * 40
    result = subprocess.run(
        [sys.executable, "-m", "cachebust", "fake-api", "--head-sha", "no-such-rev"],
        cwd=repo,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 2, result.stderr
    assert result.stderr.startswith("Error: --head-sha no-such-rev names no commit.")


def _build_log(fake: FakeKoyeb, deployment_id: str) -> list[str]:
    import httpx

    with httpx.Client(
        transport=fake.transport,
        base_url="http://127.0.0.1:9",
        headers={"Authorization": f"Bearer {fake.token}"},
    ) as api:
        query = {"type": "build", "deployment_id": deployment_id, "limit": 1000, "order": "asc"}
        reply = api.get("/v1/streams/logs/query", params={**query, "start": "2000-01-01T00:00:00Z"})
    return [entry["msg"] for entry in reply.json()["data"]]


class _Processes:
    """`cachebust fake-api` and `cachebust` as a reader runs them, in the checkout `repo`."""

    def __init__(self, repo: Path, home: Path) -> None:
        self.repo, self.home = repo, home
        self.url = ""

    @contextmanager
    def fake_api(self, *args: str) -> Iterator[None]:
        command = [sys.executable, "-m", "cachebust", "fake-api", "--speed", "300", *args]
        with subprocess.Popen(
            command, cwd=self.repo, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True
        ) as process:
            try:
                assert process.stdout is not None
                self.url = process.stdout.readline().strip()
                assert self.url.startswith("http://127.0.0.1:"), self.url
                yield
            finally:
                process.terminate()
                process.wait(timeout=30)

    def run(self, *args: str) -> subprocess.CompletedProcess[str]:
        environ = {
            **os.environ,
            "KOYEB_URL": self.url,
            "KOYEB_TOKEN": "fake-koyeb-token",
            "HOME": str(self.home),
            "NO_COLOR": "1",
            "CACHEBUST_SPEED": "300",
        }
        result = subprocess.run(
            [sys.executable, "-m", "cachebust", *args],
            cwd=self.repo,
            env=environ,
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        assert result.returncode == 0, result.stdout + result.stderr
        return result

    def status(self) -> dict[str, Any]:
        report: dict[str, Any] = json.loads(self.run("status", "--json").stdout)
        return report


def test_must_show_through_the_processes_a_reader_runs(tmp_path: Path) -> None:
    """Issue 16's first must-show, with the real `cachebust fake-api` and `cachebust`
    processes: a commit the fake's deployments do not run is reported, with the gap, and
    a rebuild against a fake seeded from the new HEAD runs it."""
    repo = init(make_repo(tmp_path / "repo"))
    deployed = git(repo, "rev-parse", "HEAD")
    new = commit(repo, "Fix the bug")
    reader = _Processes(repo, tmp_path / "home")

    with reader.fake_api("--head-sha", "HEAD~1"):  # Koyeb runs the commit before yours
        before = reader.status()
        assert before["up_to_date"] is False
        assert (before["running_commit"], before["local_commit"]) == (deployed, new)
        assert before["verdict"]["message"] == (
            f"1 commit behind: Koyeb runs {deployed[:7]}, your HEAD is {new[:7]}."
        )
        # A rebuild builds the service's branch, which does not have the commit yet.
        reader.run("rebuild", "--timeout", "2h")
        assert reader.status()["verdict"]["kind"] == "behind"

    with reader.fake_api():  # the service's branch has it: seeded from the new HEAD
        rebuilt = _events(reader.run("rebuild", "--json", "--timeout", "2h").stdout)
        after = reader.status()
        assert after["up_to_date"] is True and after["running_commit"] == new
        assert after["latest_deployment"]["id"] == rebuilt[-1]["deployment_id"]
        assert after["latest_deployment"]["commit"] == new
        assert after["verdict"]["message"] == (
            f"running your commit: Koyeb runs {new[:7]}, your HEAD."
        )
