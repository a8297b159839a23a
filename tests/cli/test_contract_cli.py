"""`cachebust contract` and `cachebust fake-api`'s assumptions, run as a user runs them,
against the fake Koyeb API on loopback."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from tests.cli.conftest import Cli, serving

from cachebust._errors import ExitCode
from cachebust.cli import root
from cachebust.fake import FakeKoyeb
from cachebust.fake._assumptions import ASSUMPTIONS

VERDICTS = ("holds", "differs", "not observable")


def _findings(stdout: str) -> dict[str, str]:
    """Each finding line's anchor and what follows it; the header and summary left out."""
    lines = stdout.splitlines()
    assert lines[0].startswith("Contract of the fake Koyeb API, checked on ")
    assert lines[-1].endswith(" not observable.")
    found = {}
    for line in lines[1:-1]:
        anchor, said = line.split(maxsplit=1)
        assert said.startswith(VERDICTS), line
        found[anchor] = said
    return found


def test_the_loopback_fake_passes_read_only(cli: Cli) -> None:
    result = cli("contract")
    assert result.exit_code == 0, result.output
    findings = _findings(result.stdout)
    assert f"checked on {cli.fake.settings.target} at " in result.stdout
    assert "(read-only)" in result.stdout.splitlines()[0]
    assert all(said.startswith(("holds", "not observable")) for said in findings.values())
    assert set(findings) >= {a.anchor for a in ASSUMPTIONS}
    assert not [e for e in cli.fake.journal if e.method != "GET"]  # nothing but reads


@pytest.mark.timeout(120)
def test_the_loopback_fake_passes_with_one_redeploy(
    repo_root: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(repo_root)
    fake = FakeKoyeb()
    # Slower than the other tests: the probe polls each simulated second and must see a
    # status that lasts 5, so a real quarter second, which a loaded machine cannot skip.
    with serving(fake, tmp_path, speed=20) as cli:
        result = cli("contract", "--redeploy", fake.settings.target)
    assert result.exit_code == 0, result.output
    findings = _findings(result.stdout)
    assert findings["assume-scheduled"].startswith("holds (PENDING > PROVISIONING > SCHEDULED")
    assert findings["assume-redeploy-cache"].startswith("holds")
    redeploys = [e for e in fake.journal if e.method == "POST"]
    assert [e.body for e in redeploys] == [{"use_cache": False, "skip_build": False}]


def test_a_flipped_switch_fails_and_is_named(
    repo_root: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(repo_root)
    fake = FakeKoyeb(assumptions={"list-order": "oldest-first"})
    with serving(fake, tmp_path) as cli:
        result = cli("contract", "--json")
    assert result.exit_code == ExitCode.CHECKS_FAILED
    records = [json.loads(line) for line in result.stdout.splitlines()]
    differing = [r for r in records if r["verdict"] == "differs"]
    assert differing == [
        {
            "anchor": "assume-list-order",
            "verdict": "differs",
            "detail": "apps oldest first, services oldest first, deployments oldest first",
        }
    ]


def test_a_malformed_target_is_refused_before_any_request(cli: Cli) -> None:
    result = cli("contract", "--redeploy", "no-slash")
    assert result.exit_code == ExitCode.USAGE
    assert result.stderr.startswith("Error: ")
    assert len(cli.fake.journal) == 0


def test_without_koyeb_sdk_it_says_which_extra_to_install(repo_root: Path) -> None:
    script = (
        "import sys\n"
        "sys.modules['koyeb'] = None  # as if koyeb-sdk were not installed\n"
        "from cachebust.cli import main\n"
        "sys.argv = ['cachebust', 'contract']\n"
        "main()\n"
    )
    env = {"KOYEB_TOKEN": "not-a-real-token", "KOYEB_URL": "http://127.0.0.1:9", "HOME": "/"}
    done = subprocess.run(
        [sys.executable, "-c", script],
        cwd=repo_root,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == ExitCode.USAGE, done.stderr
    lines = done.stderr.splitlines()
    assert lines[0] == "Error: cachebust contract cannot run: koyeb-sdk is not installed."
    assert lines[1].startswith("  Why: It checks every reply against koyeb-sdk's models")
    assert lines[2].startswith("  Fix: Install the fake's extra: pip install 'cachebust[fake]'")
    assert "not-a-real-token" not in done.stdout + done.stderr


def test_list_assumptions_prints_each_with_its_default_and_anchor() -> None:
    plain = CliRunner().invoke(root, ["fake-api", "--list-assumptions"])
    assert plain.exit_code == 0
    lines = plain.stdout.splitlines()
    assert len(lines) == len(ASSUMPTIONS)
    for line, assumption in zip(lines, ASSUMPTIONS, strict=True):
        name, *values, anchor = line.split()
        assert (name, anchor) == (assumption.name, assumption.anchor)
        assert [v.rstrip("*") for v in values] == list(assumption.values)
        assert [v for v in values if v.endswith("*")] == [f"{assumption.default}*"]
    as_json = CliRunner().invoke(root, ["fake-api", "--list-assumptions", "--json"])
    records = [json.loads(line) for line in as_json.stdout.splitlines()]
    assert [(r["name"], r["default"], r["switch"]) for r in records] == [
        (a.name, a.default, a.switch) for a in ASSUMPTIONS
    ]


@pytest.mark.parametrize(
    ("setting", "what"),
    [
        ("no-such=1", "Error: Unknown assumption no-such."),
        ("list-order=sideways", "Error: Unknown value sideways for the assumption list-order."),
        ("list-order", "Error: list-order is not NAME=VALUE."),
        ("supersede=stash", "Error: The assumption supersede cannot be set to stash."),
    ],
)
def test_a_bad_assumption_is_a_usage_error(setting: str, what: str) -> None:
    result = CliRunner().invoke(root, ["fake-api", "--assumption", setting])
    assert result.exit_code == ExitCode.USAGE
    lines = result.stderr.splitlines()
    assert lines[0] == what
    assert lines[1].startswith("  Why: ") and lines[2].startswith("  Fix: ")
    if setting.startswith("no-such"):
        assert "list-order" in lines[1] and "name-filter" in lines[1]


def test_json_alone_is_a_usage_error() -> None:
    result = CliRunner().invoke(root, ["fake-api", "--json"])
    assert result.exit_code == ExitCode.USAGE
    assert "--json goes with --list-assumptions" in result.stderr
