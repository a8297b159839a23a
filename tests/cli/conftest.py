"""The CLI run in-process (Click's runner) against the fake Koyeb API served on loopback.

The fake's clock runs 300 times faster than real time, so a three-minute deployment
takes under a real second; the CLI's own clock runs as fast (CACHEBUST_SPEED), so its
polls and back-off keep pace.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from cachebust.cli import root
from cachebust.fake import FakeKoyeb, FakeServer

SPEED = 300.0


@dataclass
class Cli:
    """Runs `cachebust ...` in-process with KOYEB_URL/KOYEB_TOKEN pointing at the fake."""

    fake: FakeKoyeb
    env: dict[str, str | None] = field(default_factory=dict)

    def __call__(self, *args: str, **env: str | None) -> Result:
        result = CliRunner().invoke(root, list(args), env={**self.env, **env})
        output = result.stdout + result.stderr
        assert self.fake.token not in output, "the token leaked into the output"
        assert "Traceback" not in output, output
        assert result.exception is None or isinstance(result.exception, SystemExit), output
        return result


@contextmanager
def serving(fake: FakeKoyeb, home: Path, *, speed: float = SPEED) -> Iterator[Cli]:
    """`fake` served on loopback, and a `Cli` pointed at it whose clock runs as fast."""
    with FakeServer(fake, speed=speed) as running:
        env: dict[str, str | None] = {
            "KOYEB_URL": running.url,
            "KOYEB_TOKEN": fake.token,
            "HOME": str(home),  # no $HOME/.koyeb.yaml unless a test writes one
            "NO_COLOR": "1",
            "CACHEBUST_SPEED": str(speed),
        }
        yield Cli(fake, env)
    assert not fake.contract_violations, fake.contract_violations


@pytest.fixture
def server(repo_root: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeServer]:
    monkeypatch.chdir(repo_root)  # [tool.cachebust] is read from the working directory
    fake = FakeKoyeb()
    with FakeServer(fake, speed=SPEED) as running:
        yield running
    assert not fake.contract_violations, fake.contract_violations


@pytest.fixture
def cli(server: FakeServer, tmp_path: Path) -> Cli:
    env: dict[str, str | None] = {
        "KOYEB_URL": server.url,
        "KOYEB_TOKEN": server.fake.token,
        "HOME": str(tmp_path),  # no $HOME/.koyeb.yaml unless a test writes one
        "NO_COLOR": "1",
        "CACHEBUST_SPEED": str(SPEED),
    }
    return Cli(server.fake, env)
