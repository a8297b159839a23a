"""The CLI's main flows under every value of every switch of the fake's assumptions.

Where the sources leave Koyeb's behaviour open, the fake assumes one behaviour and can
be switched to the others (`cachebust.fake._assumptions`). Whichever turns out true,
`rebuild`, `watch`, `status`, `logs` and `doctor`'s Koyeb checks must give the same
answers: this walks the registry, so a new switch is covered without a new test.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import httpx
import pytest
from tests.cli.conftest import Cli, serving

from cachebust._buildkit import layer_steps, parse_progress
from cachebust._errors import ExitCode
from cachebust.fake import FakeKoyeb
from cachebust.fake._assumptions import ASSUMPTIONS

#: Each switch with each value but its default, and once with every default.
CASES = [None] + [(a.name, value) for a in ASSUMPTIONS if a.switch for value in a.values[1:]]
#: Fast, and still slow enough that a CLI run takes less simulated time than the delay
#: of `latest-id-updated=delayed`, so `watch` meets the lag it must see through.
SPEED = 600.0
#: Simulated, so a slow machine cannot make a wait time out (10 minutes is 1 s here).
TIMEOUT = ("--timeout", "2h")


def _case_id(case: tuple[str, str] | None) -> str:
    return "defaults" if case is None else f"{case[0]}={case[1]}"


def _events(text: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in text.splitlines()]


def _build_log(fake: FakeKoyeb, deployment_id: str) -> list[str]:
    """The deployment's whole build log, read past the CLI, from the fake in-process."""
    with httpx.Client(
        transport=fake.transport,
        base_url="https://app.koyeb.com",
        headers={"Authorization": f"Bearer {fake.token}"},
    ) as api:
        query = {"type": "build", "deployment_id": deployment_id, "order": "asc"}
        reply = api.get(
            "/v1/streams/logs/query",
            params={**query, "limit": 1000, "start": "2000-01-01T00:00:00Z"},
        )
    return [entry["msg"] for entry in reply.json()["data"]]


def _cache_verdict(log: list[str]) -> str:
    """What `doctor` may conclude from a build log: pass only when it shows no cached step."""
    steps = layer_steps(parse_progress(log))
    return "pass" if steps and not any(step.cached for step in steps) else "warn"


def _remote_checks(cli: Cli) -> dict[str, str]:
    result = cli("doctor", "--json")
    report = json.loads(result.stdout)
    return {c["id"]: c["status"] for c in report["checks"] if c["id"].startswith("remote.")}


@pytest.mark.parametrize("case", CASES, ids=_case_id)
def test_the_main_flows_hold_under_each_assumption(
    case: tuple[str, str] | None,
    repo_root: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(repo_root)
    fake = FakeKoyeb(assumptions=dict([case]) if case else None)
    with serving(fake, tmp_path, speed=SPEED) as cli:
        target = fake.settings.target
        before = json.loads(cli("status", "--json").stdout)
        assert before["latest_deployment"]["id"] == before["active_deployment"]["id"]
        assert before["active_deployment"]["status"] == "HEALTHY"
        previous = before["active_deployment"]["id"]

        # doctor: the token, the service, its newest deployment, and a cache verdict the
        # build log supports (never "pass" for a log with cached steps or none parsed).
        checks = _remote_checks(cli)
        verdict = _cache_verdict(_build_log(fake, previous))
        assert checks == {
            "remote.token": "pass",
            "remote.service": "pass",
            "remote.deployment": "pass",
            "remote.commit": "pass",  # the fake runs this checkout's HEAD
            "remote.build-cache": verdict,
        }
        assert before["up_to_date"] is True

        # rebuild --no-wait, then watch APP/SERVICE: it follows the new deployment, even
        # while the service still names the previous one latest.
        created = _events(cli("rebuild", "--no-wait", "--json").stdout)
        new = next(e["deployment_id"] for e in created if e["event"] == "created")
        watched = cli("watch", "--json", *TIMEOUT)
        assert watched.exit_code == 0, watched.output
        events = _events(watched.stdout)
        assert events[0]["deployment_id"] == new
        assert events[-1] == {
            "event": "done",
            "target": target,
            "deployment_id": new,
            "status": "HEALTHY",
        }

        # status: the new deployment is both the latest and the active one.
        after = json.loads(cli("status", "--json").stdout)
        assert after["latest_deployment"]["id"] == after["active_deployment"]["id"] == new

        # watch of the deployment it replaced: it ends at once, whatever it ended as.
        old = cli("watch", previous)
        assert old.exit_code == ExitCode.DEPLOYMENT_FAILED, old.output
        assert f"Error: Deployment {previous} is " in old.stderr
        assert "it no longer runs." in old.stderr

        # logs --type build: the new deployment's whole build log, cached only if Koyeb
        # ignored use_cache: false.
        log = _build_log(fake, new)
        shown = cli("logs", "--type", "build")
        assert shown.exit_code == 0 and shown.stdout.splitlines() == log
        cached = any(step.cached for step in layer_steps(parse_progress(log)))
        assert cached == (case == ("redeploy-cache", "always-cached"))
        assert _remote_checks(cli)["remote.build-cache"] == _cache_verdict(log)

        # logs --type build --tail, right after a rebuild (a cached one, to be quick): every
        # line of the build, from its first (however its statuses run) to its last, as
        # read once the deployment is over.
        created = _events(cli("rebuild", "--use-cache", "--no-wait", "--json").stdout)
        tailed_id = next(e["deployment_id"] for e in created if e["event"] == "created")
        tailed = cli("logs", "--type", "build", "--tail", "--json")
        assert tailed.exit_code == 0, tailed.output
        assert cli("watch", tailed_id, *TIMEOUT).exit_code == 0
        assert [e["msg"] for e in _events(tailed.stdout)] == _build_log(fake, tailed_id)

        # rebuild, waiting: it ends HEALTHY on the deployment it created.
        # rebuild, waiting: it ends HEALTHY on the deployment it created, then says what
        # its build log says of the cache.
        rebuilt = cli("rebuild", "--json", *TIMEOUT)
        assert rebuilt.exit_code == 0, rebuilt.output
        events = _events(rebuilt.stdout)
        last = next(e["deployment_id"] for e in events if e["event"] == "created")
        done, cache = events[-2:]
        assert done["status"] == "HEALTHY" and done["deployment_id"] == last
        steps = layer_steps(parse_progress(_build_log(fake, last)))
        served = sum(step.cached for step in steps)
        assert cache["event"] == "cache" and cache["deployment_id"] == last
        verdict = f"cached:{served}-of-{len(steps)}" if served else "uncached"
        assert cache["verdict"] == (verdict if steps else "unknown")
