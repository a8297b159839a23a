"""One redeploy of a service that takes effect at most once, whatever the network does.

Before anything is sent, the ids of the service's deployments are recorded. After an
answer that leaves it unknown whether Koyeb acted (a 5xx, an unreadable 2xx, a
connection dropped or a read timed out after the request went out), the service's
deployments are listed again:

- exactly one that was not there before: that is the result;
- none: Koyeb did not act, so the request may be sent again;
- more than one, or a list that cannot be read: it stays unknown, and
  `RedeployUnknown` names the commands that settle it.

No clock takes part, so a skew between this machine and Koyeb changes nothing.

```python
redeploy = client.start_redeploy(service_id)   # lists the deployments first
deployment = redeploy.send()                    # POST, retried only when safe
```
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Protocol

from cachebust._clock import Clock
from cachebust._errors import (
    CachebustError,
    NetworkError,
    RateLimited,
    RedeployUnknown,
    ServerError,
)
from cachebust._models import Deployment
from cachebust._retry import is_transient, retrying


class RedeployApi(Protocol):
    """What a redeploy needs of the API: `Client` is one."""

    clock: Clock

    def list_deployments(
        self, service_id: str, *, limit: int | None = None
    ) -> list[Deployment]: ...

    def post_json(
        self, path: str, body: Mapping[str, Any], *, key: str, action: str, subject: str = ""
    ) -> Mapping[str, Any]: ...


REDEPLOY_PATH = "/v1/services/{id}/redeploy"


def redeploy_body(*, use_cache: bool = False, skip_build: bool = False) -> dict[str, bool]:
    """The body of `POST /v1/services/{id}/redeploy`; both flags always sent, like `koyeb`."""
    return {"use_cache": use_cache, "skip_build": skip_build}


@dataclass(frozen=True, slots=True)
class Redeploy:
    """A redeploy of one service, ready to send (see the module's docstring).

    Made by `Client.start_redeploy`, which records `before`.
    """

    client: RedeployApi
    service_id: str
    before: frozenset[str]
    use_cache: bool = False
    skip_build: bool = False

    def send(self) -> Deployment:
        """Send the redeploy; return the deployment it created.

        Raises RedeployUnknown when it cannot be told whether a deployment was created,
        and the last error when every try failed and none was.
        """
        return retrying(self.client.clock, retry_on=_not_acted_on)(self._attempt)

    def created(self) -> list[Deployment]:
        """The service's deployments that were not there before, newest first."""
        return [d for d in self.client.list_deployments(self.service_id) if d.id not in self.before]

    def _attempt(self) -> Deployment:
        path = REDEPLOY_PATH.format(id=self.service_id)
        body = redeploy_body(use_cache=self.use_cache, skip_build=self.skip_build)
        try:
            deployment = self.client.post_json(
                path,
                body,
                key="deployment",
                action="redeploy the service",
                subject=f"service {self.service_id}",
            )
        except (ServerError, NetworkError) as exc:
            if not _unclear(exc):
                raise
            return self._settle(exc)
        return Deployment.from_json(deployment)

    def _settle(self, failure: ServerError | NetworkError) -> Deployment:
        """After an unclear failure: the one new deployment, or re-raise `failure`."""
        try:
            new = self.created()
        except CachebustError as check:
            detail = f"Listing them to find out failed too: {check.what}"
            raise self._unknown(failure, detail) from None
        if len(new) > 1:
            ids = ", ".join(d.id for d in new)
            raise self._unknown(
                failure, f"{len(new)} deployments appeared meanwhile ({ids}), from another client."
            )
        if new:
            return new[0]
        failure.why += " Koyeb created no deployment: the service's deployments are as before."
        raise failure

    def _unknown(self, failure: CachebustError, detail: str) -> RedeployUnknown:
        service = self.service_id
        return RedeployUnknown(
            what=f"The redeploy of service {service} may or may not have started a deployment.",
            why=f"{failure.what} {failure.why} {detail}",
            fix=f"Run `cachebust status {service}` to see the latest deployment, and follow it "
            f"with `cachebust watch {service}`; redeploy again only if none started.",
        )


def _unclear(exc: ServerError | NetworkError) -> bool:
    """Whether Koyeb may have acted on a request that failed this way."""
    if isinstance(exc, NetworkError):
        return exc.sent
    # A 5xx may come from a proxy before or after the API acted; a 2xx it could not read
    # came after. Other statuses are refusals.
    return exc.status is None or exc.status >= 500 or exc.status < 300


def _not_acted_on(exc: BaseException) -> bool:
    """Failures after which sending again cannot double the redeploy: a rate limit, a
    request never sent, and unclear failures after which the check found no deployment
    (a settled one is raised as RedeployUnknown instead)."""
    if isinstance(exc, RateLimited):
        return is_transient(exc)
    if isinstance(exc, NetworkError):
        return True
    return isinstance(exc, ServerError) and _unclear(exc)
