"""The three outputs: plain lines, JSON lines, and the live display (here on a non-terminal)."""

from __future__ import annotations

import io
import json

from cachebust._models import BuildStage, Deployment
from cachebust._output import JsonOutput, LiveOutput, PlainOutput, make_output
from cachebust._watch import Change


def _change(status: str, stage: str = "", *, stage_changed: bool = True) -> Change:
    stages = (BuildStage("build", stage),) if stage else ()
    deployment = Deployment(id="d", status=status, stages=stages)
    return Change(
        deployment, elapsed=3.0, polls=2, status_changed=True, stage_changed=stage_changed
    )


def test_plain_lines() -> None:
    stream = io.StringIO()
    out = make_output(as_json=False, stream=stream)
    assert isinstance(out, PlainOutput)
    out.emit("Redeploying.", {"event": "redeploy"})
    out.change(_change("PROVISIONING", "RUNNING"))
    out.change(_change("STARTING", "COMPLETED", stage_changed=False))
    out.change(_change(""))
    out.close()
    assert stream.getvalue().splitlines() == [
        "Redeploying.",
        "PROVISIONING (stage build: RUNNING)",
        "STARTING",
        "(no status)",
    ]


def test_json_lines() -> None:
    stream = io.StringIO()
    out = make_output(as_json=True, stream=stream)
    assert isinstance(out, JsonOutput)
    out.emit("ignored", {"event": "redeploy"})
    out.change(_change("PROVISIONING", "RUNNING"))
    first, second = (json.loads(line) for line in stream.getvalue().splitlines())
    assert first == {"event": "redeploy"}
    assert second == {
        "event": "status",
        "deployment_id": "d",
        "status": "PROVISIONING",
        "stage": "build",
        "stage_status": "RUNNING",
        "elapsed": 3.0,
        "finished": False,
        "commit": None,
    }


def test_live_output_prints_the_same_lines() -> None:
    stream = io.StringIO()
    out = LiveOutput(stream)
    out.emit("Redeploying a very long target name " + "x" * 120, {})
    out.change(_change("PROVISIONING", "RUNNING"))
    out.change(_change("HEALTHY"))
    out.close()
    lines = stream.getvalue().splitlines()
    assert lines[0].endswith("x" * 120)  # not wrapped at the console width
    assert "PROVISIONING (stage build: RUNNING)" in lines and "HEALTHY" in lines
    assert "\x1b[" not in stream.getvalue()  # not a terminal: no escape sequences
