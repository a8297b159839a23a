"""`cachebust contract`: check on a real account what the fake Koyeb API assumes.

The fake follows named assumptions where the API's document and the official CLI leave
Koyeb's behaviour open (`cachebust.fake._assumptions`). This probe reads the account
(apps, services, one service's deployments and build logs) and says, for each, whether
Koyeb behaves as assumed, differs (and what it saw), or cannot be observed (and why);
and it checks a few documented facts the fake relies on, such as the reply models and
the status values. It reads only, unless asked for one uncached redeploy of a service,
which shows the deployment lifecycle.

```python
with Client() as client:
    report = check_contract(client)                   # read-only
    print("\\n".join(report.lines()))
    report = check_contract(client, redeploy="app/web")  # plus one redeploy of app/web
```
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass

from cachebust import _config as config
from cachebust._client import Client
from cachebust._contract import _build_logs as logs
from cachebust._contract import _history as history
from cachebust._contract import _lifecycle as lifecycle
from cachebust._contract import _lists as lists
from cachebust._contract._findings import Finding, unseen
from cachebust._contract._probe import JsonDict, Probe, oldest_first
from cachebust._contract._shapes import fit, require_sdk
from cachebust._errors import ConfigNotFound, NotFound
from cachebust._models import Target
from cachebust.fake._assumptions import ASSUMPTIONS

__all__ = ["ContractReport", "Finding", "check_contract"]

#: The documented facts the probe checks besides the assumptions, by contract anchor.
FACT_ANCHORS = (
    "api-fields-evolve",
    "api-list-pagination",
    "api-deployment-status",
    "api-error-bodies",
    "api-logs-query",
    "api-git-sha",
)


@dataclass(frozen=True, slots=True)
class ContractReport:
    """One line per assumption, then per fact; `ok` unless one differs."""

    target: str
    api_url: str
    redeployed: bool
    findings: tuple[Finding, ...]

    @property
    def ok(self) -> bool:
        return not any(f.verdict == "differs" for f in self.findings)

    def count(self, verdict: str) -> int:
        return sum(f.verdict == verdict for f in self.findings)

    def lines(self) -> list[str]:
        how = "with one uncached redeploy" if self.redeployed else "read-only"
        width = max(len(f.anchor) for f in self.findings)
        return [
            f"Contract of the fake Koyeb API, checked on {self.target} at {self.api_url} ({how}):",
            *(finding.line(width) for finding in self.findings),
            f"{self.count('holds')} hold, {self.count('differs')} differ, "
            f"{self.count('not observable')} not observable.",
        ]

    def json_lines(self) -> list[str]:
        return [json.dumps(finding.to_dict()) for finding in self.findings]


def check_contract(
    client: Client, *, target: str | None = None, redeploy: str | None = None
) -> ContractReport:
    """Probe the account `client` reaches: read-only, plus one uncached redeploy of the
    service `redeploy` names when given.

    The service read is `target`, else `redeploy`, else `[tool.cachebust]`'s, else the
    first the API lists. Raises MissingSdk without koyeb-sdk (the `fake` extra).
    """
    require_sdk()
    probe = Probe(client)
    apps = probe.pages("/v1/apps", "apps", {}, model="ListAppsReply")
    services = probe.pages("/v1/services", "services", {}, model="ListServicesReply")
    resolved = _target(client, target or redeploy, services)
    service = probe.object(
        f"/v1/services/{resolved.service_id}", "service", model="GetServiceReply"
    )
    params = {"service_id": resolved.service_id}
    deployments = probe.pages(
        "/v1/deployments", "deployments", params, model="ListDeploymentsReply"
    )
    app = next((a for a in apps if a.get("id") == resolved.app_id), {"name": resolved.app_name})
    found = _read_only(probe, apps, services, app, service, deployments)
    if redeploy is not None:
        redeployed = client.resolve_service(redeploy)
        found += lifecycle.observe(probe, client, redeployed)
    else:
        found += lifecycle.without_redeploy()
    found += [
        lists.has_next(probe),
        lists.pagination(probe),
        logs.query_shape(probe),
        history.nulls(probe),
        fit(probe.replies),
    ]
    return ContractReport(
        target=resolved.slug,
        api_url=client.base_url,
        redeployed=redeploy is not None,
        findings=tuple(_in_order(found)),
    )


def _target(client: Client, name: str | None, services: list[JsonDict]) -> Target:
    if name is None:
        try:
            name = config.load().target
        except ConfigNotFound:
            if not services:
                raise NotFound(
                    what="There is no service to probe.",
                    why="The token's organization has no service, and no [tool.cachebust] "
                    "names one.",
                    fix="Create a service, or probe another organization's token.",
                ) from None
            return client.resolve_service(str(services[0].get("id")))
    return client.resolve_service(name)


def _read_only(
    probe: Probe,
    apps: list[JsonDict],
    services: list[JsonDict],
    app: JsonDict,
    service: JsonDict,
    deployments: list[JsonDict],
) -> list[Finding]:
    built = oldest_first(d for d in deployments if history.built(d))
    newest_built = (
        probe.object(
            f"/v1/deployments/{built[-1].get('id')}", "deployment", model="GetDeploymentReply"
        )
        if built
        else None
    )
    log = logs.read(probe, newest_built) if newest_built else None
    active = next(
        (d for d in deployments if d.get("id") == service.get("active_deployment_id")), None
    )
    return [
        lists.name_filter(probe, app, service),
        lists.default_limit(probe),
        lists.limit_over_max(probe),
        lists.repeated_parameter(probe),
        lists.order({"apps": apps, "services": services, "deployments": deployments}),
        history.previous_end(deployments, service),
        history.failed_keeps_active(deployments, service),
        history.durations(deployments),
        history.parent_child(deployments),
        history.build_stages(newest_built),
        history.service_status(service, deployments),
        history.app_status(apps),
        *history.unknown_ids(probe),
        history.any_source(probe),
        history.statuses(deployments),
        logs.log_format(log),
        logs.timestamps_unique(log),
        logs.labels(log),
        logs.pagination(probe, log),
        *logs.bounds(probe, log),
        logs.filters(probe, log),
        logs.window(probe, log),
        logs.retention(probe, built[0] if built else None),
        logs.runtime_lines(probe, active),
        *logs.pushes(probe, deployments),
    ]


def _in_order(found: Iterable[Finding]) -> list[Finding]:
    """One finding per assumption, in the registry's order, then the facts; an assumption
    no probe can observe says why."""
    by_anchor = {finding.anchor: finding for finding in found}
    ordered = []
    for assumption in ASSUMPTIONS:
        finding = by_anchor.pop(assumption.anchor, None)
        if finding is None:
            if assumption.observable != "not":
                raise AssertionError(f"the probe has no check for {assumption.anchor}")
            why = assumption.probe.rstrip(".")
            finding = unseen(assumption.anchor, why[:1].lower() + why[1:])
        ordered.append(finding)
    ordered += [by_anchor.pop(anchor) for anchor in FACT_ANCHORS]
    if by_anchor:
        raise AssertionError(f"findings outside the contract: {sorted(by_anchor)}")
    return ordered
