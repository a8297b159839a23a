"""A doc block that follows a deployment: `cachebust rebuild` against a fake served at the
doc-tests' speed, beside the fake's simulated time for that deployment plus 0.2 s.

The fake's clock and cachebust's own (CACHEBUST_SPEED) run at the same speed, so the
rebuild should take the deployment's simulated time, scaled, and little more.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from datetime import datetime
from pathlib import Path

from bench.report import line
from bench.sites import REPO
from cachebust.fake import FakeKoyeb, FakeServer

SPEED = 200.0
ALLOWANCE = 0.2


def run() -> list[str]:
    fake = FakeKoyeb()
    with FakeServer(fake, speed=SPEED) as server:
        env = {
            **os.environ,
            "KOYEB_URL": server.url,
            "KOYEB_TOKEN": fake.token,
            "CACHEBUST_SPEED": str(SPEED),
            "NO_COLOR": "1",
        }
        # Once unmeasured, so that koyeb-sdk is loaded and bytecode is cached.
        subprocess.run(
            [sys.executable, "-m", "cachebust", "status"],
            env=env,
            cwd=REPO,
            check=True,
            capture_output=True,
        )
        start = time.perf_counter()
        subprocess.run(
            [str(Path(sys.executable).parent / "cachebust"), "rebuild"],
            env=env,
            cwd=REPO,
            check=True,
            capture_output=True,
        )
        elapsed = time.perf_counter() - start
        deployment = fake.deployment(fake.service()["latest_deployment_id"])
    simulated = (
        datetime.fromisoformat(deployment["succeeded_at"].replace("Z", "+00:00"))
        - datetime.fromisoformat(deployment["created_at"].replace("Z", "+00:00"))
    ).total_seconds()
    budget = simulated / SPEED + ALLOWANCE
    return [
        line(
            f"cachebust rebuild at {SPEED:g}x, a doc block's deployment",
            elapsed,
            budget,
            unit=" s",
            fmt=".2f",
            against=f"its simulated {simulated:.0f} s scaled, plus {ALLOWANCE} s",
        )
    ]
