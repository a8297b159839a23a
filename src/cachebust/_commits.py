"""Is Koyeb running my commit? The commit the service's active deployment runs, against
the local checkout's `HEAD` and its copy of the service's branch, as one verdict.

A deployment names the commit it was built from (`provisioning_info.sha`, "The git sha
for this build": contract: api-deployment-commit) and its git source (`definition.git`:
the branch, and a pinned `sha`: contract: api-git-sha). The checkout is read locally
(`cachebust._git`): nothing is fetched, so `origin/<branch>` is as fresh as the last
`git fetch`. `cachebust status` prints the verdict and `cachebust doctor` checks it
(`remote.commit`).

```python
report = commit_report(client, service, latest, active, Checkout.at(Path(".")), target)
report.verdict.kind      # "up-to-date", "behind", "building", ...
report.up_to_date        # True, False, or None outside a git checkout
```
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal, Protocol

from cachebust._git import Checkout, short
from cachebust._models import FAILURE, SUCCESS, Deployment, DeploymentStatus, Service
from cachebust._watch import logs_command

#: What the verdict found, in the order it is decided (the first that applies wins).
Kind = Literal[
    "no-deployment",
    "up-to-date",
    "ahead",
    "building",
    "failed",
    "skipped-build",
    "pinned",
    "no-commit",
    "no-checkout",
    "other-branch",
    "not-fetched",
    "behind",
    "diverged",
]
#: The verdicts that say Koyeb runs the local HEAD (or a descendant of it).
UP_TO_DATE: frozenset[Kind] = frozenset({"up-to-date", "ahead"})
#: The verdicts that cannot tell: nothing local to compare with, or no commit to compare.
UNKNOWN: frozenset[Kind] = frozenset({"no-checkout", "no-commit"})


class DeploymentSource(Protocol):
    """What the report reads a deployment from: `Client` is one."""

    def get_deployment(self, deployment_id: str) -> Deployment: ...


@dataclass(frozen=True, slots=True)
class Verdict:
    """One answer: a stable `kind`, what was found, and what to do (empty when nothing)."""

    kind: Kind
    message: str
    fix: str = ""

    def line(self) -> str:
        return f"{self.message} {self.fix}".strip()


@dataclass(frozen=True, slots=True)
class Local:
    """The local checkout, as far as the verdict needs it."""

    head: str | None
    #: The branch HEAD is on; None when detached.
    branch: str | None
    #: `origin/<the service's branch>`, and the commit it points at (None without it).
    tracking_ref: str
    tracking: str | None


@dataclass(frozen=True, slots=True)
class CommitReport:
    """The service's deployments, the local checkout, and the verdict on them."""

    latest: Deployment | None
    active: Deployment | None
    #: The deployment whose image the active one runs: itself, or for a skip_build
    #: deployment the one that built the image.
    image: Deployment | None
    #: The branch the service builds; "" when it has no git source.
    branch: str
    local: Local | None
    #: How many commits HEAD has that the running commit has not, when it is behind.
    behind: int | None
    verdict: Verdict

    @property
    def running(self) -> str | None:
        """The commit the service runs: the one its active deployment's image was built from."""
        return (self.image.commit or None) if self.image else None

    @property
    def up_to_date(self) -> bool | None:
        """True when Koyeb runs HEAD (or a descendant), None when it cannot be told."""
        if self.verdict.kind in UP_TO_DATE:
            return True
        return None if self.verdict.kind in UNKNOWN else False

    def to_json(self) -> dict[str, Any]:
        local = self.local
        return {
            "running_commit": self.running,
            "local_commit": local.head if local else None,
            "up_to_date": self.up_to_date,
            "branch": self.branch or None,
            "local_branch": local.branch if local else None,
            "branch_commit": local.tracking if local else None,
            "commits_behind": self.behind,
            "verdict": {
                "kind": self.verdict.kind,
                "message": self.verdict.message,
                "fix": self.verdict.fix,
            },
        }


def commit_report(
    client: DeploymentSource,
    service: Service,
    latest: Deployment | None,
    active: Deployment | None,
    checkout: Checkout | None,
    target: str,
) -> CommitReport:
    """Compare what `service` runs with the local `checkout` (None: not in one).

    `latest` is the service's newest deployment (`Client.newest_deployment`) and `active`
    its active one; `target` is the APP/SERVICE named in the fixes.
    """
    image = _image(client, service, active)
    shown = latest or active
    branch = shown.git.branch if shown is not None and shown.git is not None else ""
    local = None
    if checkout is not None:
        tracking_ref = f"origin/{branch}" if branch else ""
        local = Local(
            head=checkout.head(),
            branch=checkout.branch(),
            tracking_ref=tracking_ref,
            tracking=checkout.resolve(f"refs/remotes/{tracking_ref}") if tracking_ref else None,
        )
    facts = _Facts(latest, active, image, branch, local, checkout, target)
    verdict, behind = facts.verdict()
    return CommitReport(latest, active, image, branch, local, behind, verdict)


def _image(
    client: DeploymentSource, service: Service, active: Deployment | None
) -> Deployment | None:
    """The deployment that built what `active` runs. A skip_build deployment reuses the
    image of the service's last provisioned deployment (contract: cli-logs-skip-build);
    what its own `provisioning_info.sha` says is not documented, so that one's is used."""
    if active is None or not active.skip_build:
        return active
    built = service.last_provisioned_deployment_id
    return client.get_deployment(built) if built and built != active.id else active


@dataclass(frozen=True, slots=True)
class _Facts:
    latest: Deployment | None
    active: Deployment | None
    image: Deployment | None
    branch: str
    local: Local | None
    checkout: Checkout | None
    target: str

    def verdict(self) -> tuple[Verdict, int | None]:
        latest, active, local, checkout = self.latest, self.active, self.local, self.checkout
        running = (self.image.commit or None) if self.image else None
        if latest is None and active is None:
            return _no_deployment(self.target), None
        head = local.head if local else None
        if running and head and checkout is not None:
            if running == head:
                return Verdict(
                    "up-to-date", f"running your commit: Koyeb runs {short(head)}, your HEAD."
                ), None
            if checkout.is_ancestor(head, running):
                after = checkout.count_between(head, running)
                return Verdict(
                    "ahead",
                    f"running your commit: Koyeb runs {short(running)}, which has your HEAD "
                    f"{short(head)} and {_commits(after)} after it.",
                    "Pull to see them (`git pull`).",
                ), None
        newer = (
            latest if latest is not None and (active is None or latest.id != active.id) else None
        )
        if newer is not None and newer.status not in SUCCESS | FAILURE:
            return self._building(newer, running), None
        if newer is not None and newer.status in FAILURE:
            return self._failed(newer, running), None
        shown = latest or active
        assert shown is not None
        if shown.skip_build and self.image is not None and self.image is not shown:
            return self._skipped(shown, running), None
        if shown.pinned_commit:
            return self._pinned(shown.pinned_commit), None
        if not running:
            return Verdict(
                "no-commit",
                "the active deployment names no commit (`provisioning_info.sha`), so there is "
                "nothing to compare: its source may not be git.",
            ), None
        if checkout is None or local is None or head is None:
            return Verdict(
                "no-checkout",
                f"Koyeb runs {short(running)}; this folder is not a git checkout, so there is "
                "no commit of yours to compare it with.",
                "Run it inside your repository's checkout.",
            ), None
        if local.branch and self.branch and local.branch != self.branch:
            return Verdict(
                "other-branch",
                f"the service builds another branch: {self.branch}, while your checkout is on "
                f"{local.branch} (HEAD {short(head)}); Koyeb runs {short(running)}.",
                f"Merge your commits into {self.branch} and push them.",
            ), None
        if not checkout.has(running):
            return Verdict(
                "not-fetched",
                f"Koyeb runs {short(running)}, a commit your checkout does not have (HEAD "
                f"{short(head)}).",
                f"Fetch it (`git fetch origin {self.branch or 'BRANCH'}`) and compare again.",
            ), None
        if checkout.is_ancestor(running, head):
            behind = checkout.count_between(running, head)
            return Verdict(
                "behind",
                f"{_commits(behind)} behind: Koyeb runs {short(running)}, your HEAD is "
                f"{short(head)}.",
                self._push_or_rebuild(head),
            ), behind
        return Verdict(
            "diverged",
            f"Koyeb runs {short(running)}, which is not in the history of your HEAD {short(head)}.",
            f"Compare them with `git log --oneline --graph {short(running)} {short(head)}`.",
        ), None

    def _building(self, newer: Deployment, running: str | None) -> Verdict:
        early = newer.building or newer.status in ("", DeploymentStatus.PENDING)
        what = "building" if early else "starting"
        builds = f" from {short(newer.commit)}" if newer.commit else ""
        now = f"Koyeb runs {short(running)} until it is ready" if running else "nothing runs yet"
        return Verdict(
            "building",
            f"a newer deployment is still {what}: {newer.id[:8]} ({newer.status or 'no status'})"
            f"{builds}; {now}.",
            f"Follow it to the end with `cachebust watch {newer.id}`.",
        )

    def _failed(self, newer: Deployment, running: str | None) -> Verdict:
        built = f" ({short(newer.commit)})" if newer.commit else ""
        still = f"Koyeb still runs {short(running)}" if running else "nothing runs"
        return Verdict(
            "failed",
            f"the newest deployment failed: {newer.id[:8]}{built} ended {newer.status}, so "
            f"{still}.",
            f"Read why with `{logs_command(self.target, newer.id)}`.",
        )

    def _skipped(self, shown: Deployment, running: str | None) -> Verdict:
        assert self.image is not None
        built = f" from {short(running)}" if running else ""
        return Verdict(
            "skipped-build",
            f"the latest build was skipped (skip_build): {shown.id[:8]} runs the image "
            f"{self.image.id[:8]} built{built}.",
            "Build the branch's newest commit with `cachebust rebuild`.",
        )

    def _pinned(self, pinned: str) -> Verdict:
        branch = f"the newest commit of {self.branch}" if self.branch else "its branch"
        return Verdict(
            "pinned",
            f"pinned to a commit by `--git-sha`: the service builds {short(pinned)}, not {branch}.",
            f"Unpin it with `koyeb service update {self.target} --git-sha ''`.",
        )

    def _push_or_rebuild(self, head: str) -> str:
        local, checkout = self.local, self.checkout
        assert local is not None and checkout is not None
        if local.tracking and checkout.is_ancestor(head, local.tracking):
            return (
                f"Your HEAD is on {local.tracking_ref} already, yet no deployment runs it: "
                f"build it with `cachebust rebuild {self.target}`."
            )
        branch = self.branch or "the service's branch"
        return (
            f"Push them to {branch}; if that starts no deployment, run "
            f"`cachebust rebuild {self.target}`."
        )


def _no_deployment(target: str) -> Verdict:
    return Verdict(
        "no-deployment",
        "the service has no deployment yet, so Koyeb runs nothing.",
        f"Start one with `cachebust rebuild {target}`.",
    )


def _commits(count: int | None) -> str:
    if count is None:
        return "some commits"
    return f"{count} commit" + ("" if count == 1 else "s")
