"""The faults a redeploy is tested under, shared by the client's and the CLI's tests."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

REDEPLOY = "/v1/services/*/redeploy"
#: How the fake's clock stands against this machine's: a time window would fail one of them.
SKEWS = {"fake-ahead": timedelta(hours=1), "fake-behind": -timedelta(hours=1)}
#: Each way a redeploy's answer can go wrong, as `FakeKoyeb.inject` options, without `act`.
FAULTS: dict[str, dict[str, Any]] = {
    "500": {"status": 500},
    "503": {"status": 503},
    "html-502": {"status": 502, "html": True},
    "dropped": {"drop": True},
    "garbled": {"malformed": True},
    "late": {"delay": 60},
}
