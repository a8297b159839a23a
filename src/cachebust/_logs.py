"""Reading a service's build and runtime logs, once or following new lines (`--tail`).

Following polls the query endpoint (`GET /v1/streams/logs/query`) from the newest line
seen, rather than opening the WebSocket tail the official CLI uses: one HTTP client,
one retry policy, and the same fake serves both.

```python
service = client.get_service(target.service_id)
build = build_logs_deployment(client, service, client.newest_deployment(service))
for entry in read_logs(client, type="build", deployment_id=build.id):
    print(entry.msg)
```
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import datetime, timedelta
from typing import Protocol

from cachebust._clock import Clock
from cachebust._errors import NotFound
from cachebust._models import Deployment, LogEntry, LogType, Service


class LogSource(Protocol):
    """What the logs are read from: `Client` is one."""

    clock: Clock

    def get_deployment(self, deployment_id: str) -> Deployment: ...

    def query_logs(
        self,
        *,
        type: LogType = "runtime",
        service_id: str | None = None,
        deployment_id: str | None = None,
        start: datetime | None = None,
        end: datetime | None = None,
        limit: int = 100,
    ) -> Iterator[LogEntry]: ...


#: The window read when neither --since nor a deployment says where to start (the API's own).
DEFAULT_SINCE = 15 * 60.0
#: Seconds between two reads while following.
TAIL_INTERVAL = 2.0


def build_logs_deployment(
    client: LogSource, service: Service, latest: Deployment | None
) -> Deployment:
    """The deployment holding the build of `latest`, the service's newest deployment
    (`Client.newest_deployment`; None when it has none).

    A deployment made with skip_build has no build of its own; its image, and so its
    build logs, belong to the service's last provisioned deployment (contract:
    cli-logs-skip-build).
    """
    if latest is None:
        raise NotFound(
            what=f"Service {service.name or service.id} has no deployment yet.",
            why="Koyeb lists no latest deployment for it, so there are no build logs to read.",
            fix="Start one with `cachebust rebuild`.",
        )
    if latest.skip_build and service.last_provisioned_deployment_id:
        return client.get_deployment(service.last_provisioned_deployment_id)
    return latest


def read_logs(
    client: LogSource,
    *,
    type: LogType = "runtime",
    service_id: str | None = None,
    deployment_id: str | None = None,
    start: datetime | None = None,
    follow: bool = False,
    until: Callable[[], bool] | None = None,
) -> Iterator[LogEntry]:
    """Log lines from `start` (default: 15 minutes ago), oldest first.

    With `follow`, keep reading new lines every few seconds, for ever or until
    `until()` is true; one more read follows then, because the last lines of a build
    can be stored a moment after its status changed.
    """
    cursor = start or client.clock.now() - timedelta(seconds=DEFAULT_SINCE)
    # Lines already printed at or after the cursor's second: the API's `start` has one
    # second resolution, so the next read returns them again.
    printed: set[tuple[datetime | None, str]] = set()
    reads_after_end = 0
    while True:
        if follow and until is not None and until():
            reads_after_end += 1
        for entry in client.query_logs(
            type=type, service_id=service_id, deployment_id=deployment_id, start=cursor
        ):
            key = (entry.created_at, entry.msg)
            if key in printed:
                continue
            if entry.created_at is not None and entry.created_at > cursor:
                cursor = entry.created_at.replace(microsecond=0)
                printed = {k for k in printed if k[0] is not None and k[0] >= cursor}
            printed.add(key)
            yield entry
        if not follow or reads_after_end >= 2:
            return
        client.clock.sleep(TAIL_INTERVAL)
