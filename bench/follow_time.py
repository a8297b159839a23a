"""A doc block that follows a deployment: `cachebust rebuild` against a fake served at the
doc-tests' speed, beside the fake's simulated time for that deployment plus 0.2 s.

The fake's clock and cachebust's own (CACHEBUST_SPEED) run at the same speed, so the
rebuild should take the deployment's simulated time, scaled, and little more. Two lines:
the whole command, from its process start (Python and its imports included) to its exit,
and the part after its redeploy request (the deployment followed to its end, the build
log read, the verdict printed), each against the same budget. A third line splits off
what comes before the redeploy request (Python, the imports, the lookups), beside Python
importing the libraries that request needs and nothing else (median of 15 runs): the part
of the budget no code of ours can win back.
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
from bench.timing import median_seconds
from cachebust.fake import FakeKoyeb, FakeServer

SPEED = 200.0
ALLOWANCE = 0.2
RUNS = 15
# What `cachebust rebuild` imports from its libraries before its first request, as it
# imports them: without httpx's own command line (cachebust.cli keeps it out).
LIBRARIES = [
    sys.executable,
    "-c",
    "import sys; sys.modules['httpx._main'] = None; import click, httpcore, httpx",
]


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
        # Once unmeasured, so that the fake's koyeb-sdk models are loaded and bytecode is cached.
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
        ended = fake.clock.now()
        deployment = fake.deployment(fake.service()["latest_deployment_id"])
        (redeploy,) = [entry for entry in fake.journal if entry.method == "POST"]
    following = (ended - redeploy.at).total_seconds() / SPEED
    (libraries,) = median_seconds([LIBRARIES], runs=RUNS, cwd=REPO)
    simulated = (
        datetime.fromisoformat(deployment["succeeded_at"].replace("Z", "+00:00"))
        - datetime.fromisoformat(deployment["created_at"].replace("Z", "+00:00"))
    ).total_seconds()
    budget = simulated / SPEED + ALLOWANCE
    against = f"its simulated {simulated:.0f} s scaled, plus {ALLOWANCE} s"
    return [
        line(
            f"cachebust rebuild at {SPEED:g}x, a doc block's deployment",
            elapsed,
            budget,
            unit=" s",
            fmt=".2f",
            against=against,
        ),
        line(
            f"cachebust rebuild at {SPEED:g}x, from its redeploy request to its exit",
            following,
            budget,
            unit=" s",
            fmt=".2f",
            against=against,
        ),
        line(
            f"cachebust rebuild at {SPEED:g}x, from its start to its redeploy request",
            elapsed - following,
            libraries,
            unit=" s",
            fmt=".2f",
            against='`python -c "import click, httpcore, httpx"`',
        ),
    ]
