"""A git push to a service's tracked branch, as Koyeb reacts to it.

The branch moves to a new commit and, unless the service's git source says
`no_deploy_on_push`, a deployment builds that commit (contract: api-git-push-deploys).
Its `metadata.trigger` says a push started it, and its definition names the commit in
`git.sha` (contract: api-git-sha). Whether its build uses the cache is an assumption
(contract: assume-push-uses-cache).
"""

from __future__ import annotations

from datetime import datetime

from cachebust.fake._api_services import cache_allowed
from cachebust.fake._lifecycle import create_deployment
from cachebust.fake._state import Deployment, JsonDict, Service, Store


def push(
    store: Store,
    service: Service,
    now: datetime,
    *,
    sha: str | None = None,
    message: str = "Update the service",
) -> Deployment | None:
    """Push commit `sha` (default: a new, generated one) to `service`'s branch; the
    deployment it starts, if any."""
    git = service.definition.get("git")
    if not isinstance(git, dict):
        return None
    generated = store.ids.sha()  # drawn either way, so the ids after it do not depend on `sha`
    service.head_sha = sha or generated
    if git.get("no_deploy_on_push"):
        return None
    trigger: JsonDict = {
        "type": "GIT",
        "git": {
            "provider": "GITHUB",
            "repository": str(git.get("repository", "")),
            "branch": str(git.get("branch", "")),
            "sha": service.head_sha,
            "message": message,
        },
    }
    cached = store.assumed.holds("push-uses-cache", "yes") and cache_allowed(store, service)
    return create_deployment(
        store,
        service,
        now=now,
        cached=cached,
        skip_build=False,
        sha=service.head_sha,
        trigger=trigger,
    )
