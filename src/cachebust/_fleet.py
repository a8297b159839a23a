"""Rebuild several services side by side: `cachebust rebuild A/B C/D` and `--app APP --all`.

At most `parallel` services are in progress at once, each from its redeploy until its
deployment ends (or until it is created, without waiting): the bound that keeps a fleet
from building everything at once. Each service is redeployed once, through the same
`Redeploy` as a single rebuild (its settle-before-resending logic is per service), and
followed to its end. The client's requests share one pause after a 429
(`Client(shared_pause=True)`): when one meets the limit, all wait out its Retry-After.

The workers are daemon threads, so that Ctrl-C ends the command at once; the `Ledger`
says what had been started by then (`cachebust.cli._interrupts.fleet_interruption`).

```python
ledger = Ledger()
results = rebuild_fleet(client, targets, parallel=4, out=out, ledger=ledger)
worst_exit_code(results)   # ExitCode.OK when every deployment became healthy
```
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

from cachebust._build_cache import read_build_cache
from cachebust._errors import CachebustError, DeploymentError, ExitCode
from cachebust._watch import Change, watch_deployment

if TYPE_CHECKING:
    from cachebust._client import Client
    from cachebust._models import Deployment, Target
    from cachebust._redeploy import Redeploy

#: From the best outcome to the worst: a deployment that timed out may still become
#: healthy; one that failed will not; after an API error it is unknown whether the
#: service was even redeployed; the last three stop a rebuild before it starts.
SEVERITY = (
    ExitCode.OK,
    ExitCode.TIMED_OUT,
    ExitCode.DEPLOYMENT_FAILED,
    ExitCode.API,
    ExitCode.NOT_FOUND,
    ExitCode.AUTH,
    ExitCode.USAGE,
)


class FleetOutput(Protocol):
    """Where the events of several rebuilds go, each with its service's `target`."""

    def emit(self, target: str, text: str, event: dict[str, Any]) -> None: ...

    def change(self, target: str, change: Change) -> None: ...

    def fail(self, target: str, error: CachebustError) -> None: ...


@dataclass
class Result:
    """How one service's rebuild ended."""

    target: str
    deployment_id: str = ""
    #: The deployment's last status seen ("" before one was created).
    status: str = ""
    #: Seconds from its redeploy request to its end (or to the error).
    seconds: float = 0.0
    #: The cache verdict's code (`CacheVerdict.code`), "" when not read.
    verdict: str = ""
    error: CachebustError | None = None

    @property
    def exit_code(self) -> ExitCode:
        return ExitCode.OK if self.error is None else self.error.exit_code

    def to_json(self) -> dict[str, Any]:
        return {
            "event": "result",
            "target": self.target,
            "deployment_id": self.deployment_id or None,
            "status": self.status or None,
            "seconds": round(self.seconds, 1),
            "verdict": self.verdict or None,
            "exit_code": int(self.exit_code),
        }


def worst_exit_code(results: Sequence[Result]) -> ExitCode:
    """The exit code of the worst outcome (see SEVERITY); OK for none."""

    def rank(code: ExitCode) -> int:
        return SEVERITY.index(code) if code in SEVERITY else len(SEVERITY)

    return max((result.exit_code for result in results), key=rank, default=ExitCode.OK)


@dataclass
class Ledger:
    """What the rebuilds have started at Koyeb, kept as they go, for an interruption."""

    #: target -> the redeploy about to be sent, or sent without an answer yet.
    sending: dict[str, Redeploy] = field(default_factory=dict)
    #: target -> the deployment its redeploy created.
    created: dict[str, str] = field(default_factory=dict)
    #: Targets whose rebuild ended (healthy or not).
    ended: set[str] = field(default_factory=set)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def will_send(self, target: str, redeploy: Redeploy) -> None:
        with self._lock:
            self.sending[target] = redeploy

    def sent(self, target: str, deployment_id: str) -> None:
        with self._lock:
            self.sending.pop(target, None)
            self.created[target] = deployment_id

    def end(self, target: str) -> None:
        with self._lock:
            self.ended.add(target)

    def snapshot(self) -> tuple[dict[str, Redeploy], dict[str, str], set[str]]:
        with self._lock:
            return dict(self.sending), dict(self.created), set(self.ended)


def rebuild_fleet(
    client: Client,
    targets: Sequence[Target],
    *,
    out: FleetOutput,
    ledger: Ledger,
    parallel: int = 4,
    use_cache: bool = False,
    wait: bool = True,
    timeout: float = 600.0,
) -> list[Result]:
    """Rebuild each target (distinct services) with at most `parallel` in progress; the
    results in the targets' order. KeyboardInterrupt leaves the workers to die with the
    process; `ledger` holds what they started."""
    work: queue.SimpleQueue[int] = queue.SimpleQueue()
    for index in range(len(targets)):
        work.put(index)
    results = [Result(target.slug) for target in targets]

    def worker() -> None:
        while True:
            try:
                index = work.get_nowait()
            except queue.Empty:
                return
            try:
                _rebuild_one(
                    client, targets[index], results[index], out, ledger, use_cache, wait, timeout
                )
            except Exception as bug:  # a bug: the service's outcome must not read as a success
                error = _crashed(targets[index].slug, bug)
                results[index].error = error
                out.fail(targets[index].slug, error)

    threads = [
        threading.Thread(target=worker, name=f"rebuild-{n}", daemon=True)
        for n in range(min(parallel, len(targets)))
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        # A join with a timeout, so that Ctrl-C reaches this (the main) thread.
        while thread.is_alive():
            thread.join(0.1)
    return results


def _rebuild_one(
    client: Client,
    target: Target,
    result: Result,
    out: FleetOutput,
    ledger: Ledger,
    use_cache: bool,
    wait: bool,
    timeout: float,
) -> None:
    slug = target.slug
    started = client.clock.monotonic()
    try:
        how = "with" if use_cache else "without"
        out.emit(
            slug,
            f"Redeploying {slug} {how} the build cache (use_cache={str(use_cache).lower()}).",
            {"event": "redeploy", "service_id": target.service_id, "use_cache": use_cache},
        )
        redeploy = client.start_redeploy(target.service_id, use_cache=use_cache)
        ledger.will_send(slug, redeploy)
        deployment = redeploy.send()
        ledger.sent(slug, deployment.id)
        result.deployment_id, result.status = deployment.id, deployment.status
        out.emit(
            slug,
            f"Deployment {deployment.id} created.",
            {"event": "created", "deployment_id": deployment.id},
        )
        if not wait:
            return
        for change in watch_deployment(
            client, deployment.id, timeout=timeout, target=slug, waited=0.0
        ):
            result.status = change.deployment.status
            out.change(slug, change)
        out.emit(
            slug,
            f"{slug} is {result.status} on deployment {deployment.id}.",
            {"event": "done", "deployment_id": deployment.id, "status": result.status},
        )
        _report_cache(client, deployment, result, out, slug)
    except CachebustError as error:
        result.error = error
        if isinstance(error, DeploymentError) and error.status:
            result.status = error.status
        out.fail(slug, error)
    finally:
        result.seconds = client.clock.monotonic() - started
        ledger.end(slug)


def _crashed(slug: str, bug: Exception) -> CachebustError:
    return CachebustError(
        what=f"cachebust stopped following {slug}: {type(bug).__name__}: {bug}.",
        why="An error cachebust did not expect, in its own code: a bug.",
        fix=f"See the deployment with `cachebust status {slug}`, and report the error.",
    )


def _report_cache(
    client: Client, deployment: Deployment, result: Result, out: FleetOutput, slug: str
) -> None:
    """The cache verdict; the deployment is healthy whatever it says, so a failed read is
    reported, not raised (as `cachebust rebuild` does for one service)."""
    event: dict[str, Any] = {"event": "cache", "deployment_id": deployment.id}
    try:
        verdict = read_build_cache(client, deployment)
    except CachebustError as exc:
        message = f"Could not read the build log to tell whether the cache was used: {exc.what}"
        out.emit(slug, message, {**event, "verdict": None, "message": message})
        return
    result.verdict = verdict.code
    message = verdict.sentence(f"the build of {deployment.id[:8]}")
    out.emit(slug, message, {**event, **verdict.to_json(), "message": message})
