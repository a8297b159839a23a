"""A fake of the Koyeb REST API, faithful to its contract, for tests and demos.

```python
from cachebust.fake import FakeKoyeb, FakeServer

fake = FakeKoyeb()                      # seeded from [tool.cachebust]
httpx.Client(transport=fake.transport)  # in-process
with FakeServer(fake) as server:        # or over HTTP on 127.0.0.1
    print(server.url)
```

It keeps an organization in memory (the configured app/service and one more
app), checks every request body and every reply against the koyeb-sdk models,
answers errors with Koyeb's error bodies, moves deployments along a clock the
caller controls, and can be told to fail (`inject`, `next_deployment_outcome`).
Where the API's document and the official CLI leave Koyeb's behaviour open, the fake
follows named assumptions (`ASSUMPTIONS`), some of which can be flipped:
`FakeKoyeb(assumptions={"list-order": "oldest-first"})`.
Names are imported on first use, so importing this package stays cheap.
"""

from __future__ import annotations

from typing import Any

from cachebust import _lazy

#: The bearer token a fake accepts unless told otherwise.
DEFAULT_TOKEN = "fake-koyeb-token"

_EXPORTS = {
    "ASSUMPTIONS": "cachebust.fake._assumptions",
    "Assumption": "cachebust.fake._assumptions",
    "ContractViolation": "cachebust.fake._schemas",
    "FakeClock": "cachebust.fake._fake_clock",
    "FakeKoyeb": "cachebust.fake._core",
    "FakeServer": "cachebust.fake._server",
    "FakeTransport": "cachebust.fake._transport",
    "Fault": "cachebust.fake._faults",
    "JournalEntry": "cachebust.fake._journal",
    "UnknownAssumption": "cachebust.fake._assumptions",
}

__all__ = sorted([*_EXPORTS, "DEFAULT_TOKEN"])


def __getattr__(name: str) -> Any:
    return _lazy.load(globals(), _EXPORTS, name)


def __dir__() -> list[str]:
    return __all__
