"""`FakeKoyeb`: one fake Koyeb organization, answering API requests in-process or over HTTP."""

from __future__ import annotations

import threading
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import TYPE_CHECKING

from cachebust import _config as config
from cachebust._config import Settings
from cachebust._git import is_commit_id
from cachebust.fake import DEFAULT_TOKEN
from cachebust.fake import _replies as render
from cachebust.fake import _router as router
from cachebust.fake import _seed as seeding
from cachebust.fake._assumptions import Assumed
from cachebust.fake._endpoint import Controls
from cachebust.fake._fake_clock import FakeClock
from cachebust.fake._faults import Fault, FaultBook
from cachebust.fake._journal import Journal, entry
from cachebust.fake._lifecycle import sync
from cachebust.fake._push import push
from cachebust.fake._schemas import ContractViolation
from cachebust.fake._state import JsonDict, queue_outcome
from cachebust.fake._wire import Answer, ApiError, ApiRequest, ApiResponse, encode

if TYPE_CHECKING:
    from cachebust.fake._transport import FakeTransport


class FakeKoyeb:
    """A stateful fake of the Koyeb REST API, faithful to its contract.

    ```python
    fake = FakeKoyeb()
    with httpx.Client(transport=fake.transport, base_url="https://app.koyeb.com",
                      headers={"Authorization": f"Bearer {fake.token}"}) as http:
        deployment = http.post(f"/v1/services/{fake.service_id}/redeploy", json={}).json()
    fake.clock.advance(300)  # the deployment builds and becomes HEALTHY
    ```

    Parameters:
        settings: the `[tool.cachebust]` values to seed from; read with
            `cachebust._config.load()` when omitted.
        token: the one bearer token accepted.
        clock: the simulated clock (a manual `FakeClock` starting now when omitted).
        seed: seed of the id generator: the same seed gives the same ids.
        assumptions: the switches to flip, e.g. `{"list-order": "oldest-first"}`; the
            others keep their defaults (`cachebust.fake.ASSUMPTIONS` lists them).
            An unknown name or value raises `UnknownAssumption`.
        head_sha: the commit the service's branch points at, which its newest
            deployments run (40 hex digits). Default: the HEAD of the git checkout
            holding the settings' folder, else a generated one. Its parent, when the
            checkout has it, is the commit of the service's first deployment.
    """

    def __init__(
        self,
        *,
        settings: Settings | None = None,
        token: str = DEFAULT_TOKEN,
        clock: FakeClock | None = None,
        seed: int = 0,
        assumptions: Mapping[str, str] | None = None,
        head_sha: str | None = None,
        services: Sequence[str] = (),
    ) -> None:
        if not token:
            raise ValueError("the fake needs a non-empty token")
        if head_sha is not None and not is_commit_id(head_sha):
            raise ValueError(f"head_sha must be 40 lowercase hex digits, not {head_sha!r}")
        #: The value of every assumption this fake runs with.
        self.assumed = Assumed(assumptions)
        self.settings = settings if settings is not None else config.load()
        self.token = token
        self.clock = clock if clock is not None else FakeClock()
        seeded = seeding.seed(
            self.settings,
            now=self.clock.now(),
            seed=seed,
            assumed=self.assumed,
            commits=seeding.local_commits(self.settings.root, head_sha),
            services=services,
        )
        self._store = seeded.store
        self.organization_id = seeded.store.organization_id
        self.app_id = seeded.app.id
        self.service_id = seeded.service.id
        self.controls = Controls(Journal(), FaultBook(), self.clock)
        self.journal = self.controls.journal
        #: Every reply the fake refused to send because it broke the koyeb-sdk contract.
        self.contract_violations: list[ContractViolation] = []
        self._lock = threading.RLock()
        # httpx (which the transport needs) is loaded only when a test asks for it.
        self._transport: FakeTransport | None = None

    @property
    def transport(self) -> FakeTransport:
        """An `httpx.BaseTransport` answering from this fake: `httpx.Client(transport=...)`."""
        if self._transport is None:
            from cachebust.fake._transport import FakeTransport

            self._transport = FakeTransport(self.handle, sleep=self.clock.sleep)
        return self._transport

    def inject(
        self,
        method: str,
        path_pattern: str,
        *,
        status: int | None = None,
        times: int = 1,
        retry_after: int | None = None,
        delay: float | None = None,
        drop: bool = False,
        malformed: bool = False,
        act: bool | None = None,
        html: bool = False,
        every: int = 1,
    ) -> Fault:
        """Make the next `times` requests matching `method` and `path_pattern` misbehave.

        `status` answers that error (429 adds `Retry-After`, default 1; `html` sends a
        proxy's HTML page instead of Koyeb's JSON); `delay` answers that many seconds
        late; `drop` closes the connection without answering; `malformed` answers
        truncated JSON. `act` says whether the fake acts on the request first: by
        default a `status` fault does not and the others do. `every=3` gives the fault
        to every third matching request only (`times` counts those). In `path_pattern`, `*`
        stands for one path segment.
        """
        fault = Fault(
            method,
            path_pattern,
            status,
            times,
            retry_after,
            delay,
            drop,
            malformed,
            act,
            html,
            every,
        )
        with self._lock:
            return self.controls.faults.add(fault)

    @property
    def faults(self) -> list[Fault]:
        """The injected faults not used up yet."""
        with self._lock:
            return list(self.controls.faults.faults)

    def clear_faults(self) -> None:
        with self._lock:
            self.controls.faults.clear()

    def next_deployment_outcome(self, outcome: str) -> None:
        """Queue how the next new deployment ends.

        "error": its build fails (the build log says why) and it ends ERROR;
        "unhealthy": it builds and starts but fails its health check (UNHEALTHY);
        "canceled": it is canceled during its build (CANCELED);
        "stuck": it stays PROVISIONING for ever; "healthy": the normal end.
        """
        with self._lock:
            queue_outcome(self._store, outcome)

    def push(self, service_id: str | None = None, *, sha: str | None = None) -> JsonDict | None:
        """Push a commit to the service's tracked branch (default: the configured service):
        `sha` (40 hex digits), else a new generated one.

        Returns the Deployment the push started, as the API would return it, or None
        when the service's git source says `no_deploy_on_push`.
        """
        if sha is not None and not is_commit_id(sha):
            raise ValueError(f"sha must be 40 lowercase hex digits, not {sha!r}")
        with self._lock:
            store, now = self._store, self.clock.now()
            sync(store, now)
            found = store.services.get(service_id or self.service_id)
            if found is None:
                raise KeyError(service_id)
            deployment = push(store, found, now, sha=sha)
            if deployment is None:
                return None
            return render.deployment(store, deployment, now=now, full=True)

    def add_service(self, target: str) -> str:
        """Add the service `APP/SERVICE` (and its app, when new), built from the configured
        Dockerfile with one HEALTHY deployment; its id. ValueError if it exists."""
        with self._lock:
            now = self.clock.now()
            sync(self._store, now)
            service = seeding.add_service(self._store, target, now - seeding.HOUR)
            sync(self._store, now)
            return service.id

    @property
    def redeploys_in_flight_peak(self) -> int:
        """The most redeploys in flight at once so far: a redeploy is in flight from its
        request until the deployment it started ends (counted at each redeploy)."""
        with self._lock:
            return self._store.redeploy_peak

    def service(self, service_id: str | None = None) -> JsonDict:
        """The Service object the API would return now (default: the configured service)."""
        with self._lock:
            store = self._store
            sync(store, self.clock.now())
            found = store.services.get(service_id or self.service_id)
            if found is None:
                raise KeyError(service_id)
            return render.service(store, found, full=True)

    def deployment(self, deployment_id: str) -> JsonDict:
        """The Deployment object the API would return now."""
        with self._lock:
            store, now = self._store, self.clock.now()
            sync(store, now)
            return render.deployment(store, store.deployments[deployment_id], now=now, full=True)

    def handle(self, request: ApiRequest) -> Answer:
        """Answer one request (what both the transport and the HTTP server call)."""
        with self._lock:
            now = self.clock.now()
            if request.path.startswith(router.ADMIN_PREFIX):
                response, _ = router.answer(self._store, self.token, now, request, self.controls)
                return Answer(response)
            fault = self.controls.faults.take(request.method, request.path)
            try:
                response, model = self._respond(request, now, fault)
            except ContractViolation as violation:
                self.contract_violations.append(violation)
                raise
            if fault is not None and fault.malformed:
                response = ApiResponse(response.status, response.body[: len(response.body) // 2])
            dropped = fault is not None and fault.drop
            self.journal.record(
                entry(
                    request,
                    now,
                    token=self.token,
                    status=None if dropped else response.status,
                    reply=None if dropped else response.body,
                    model=None if dropped or (fault and (fault.malformed or fault.html)) else model,
                    fault=repr(fault) if fault else None,
                )
            )
            delay = fault.delay if fault is not None else None
            return Answer(None if dropped else response, delay=delay, drop=dropped)

    def _respond(
        self, request: ApiRequest, now: datetime, fault: Fault | None
    ) -> tuple[ApiResponse, str | None]:
        if fault is None:
            return router.answer(self._store, self.token, now, request, self.controls)
        if fault.act:
            response, model = router.answer(self._store, self.token, now, request, self.controls)
        else:
            # Nothing acted on, nothing to show: a body a client cannot read.
            response, model = ApiResponse(200, encode({"message": "not acted on"})), "object"
        if fault.status is None:
            return response, model
        if fault.html:
            page = f"<html><body><h1>{fault.status}</h1>upstream error</body></html>".encode()
            return ApiResponse(fault.status, page, {"Content-Type": "text/html"}), "html"
        retry = (fault.retry_after or 1) if fault.status == 429 else None
        error = ApiError(fault.status, retry_after=retry)
        return error.response(), error.model()
