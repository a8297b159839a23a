"""Ctrl-C and SIGTERM: what was in flight, and the error that says what goes on at Koyeb.

A command records what it has started in an `InFlight` (the context's object) as soon
as it knows: the redeploy before it is sent, the deployment's id once known. A signal
can land between any two steps, so the error is worked out at the CLI's edge from that
record, never from where the signal happened to land.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from cachebust._errors import CachebustError, Interrupted, Terminated

if TYPE_CHECKING:
    from cachebust._fleet import Ledger
    from cachebust._redeploy import Redeploy


class SigTerm(KeyboardInterrupt):
    """Raised in the main thread on SIGTERM, so that it stops a command as Ctrl-C does."""


@dataclass
class InFlight:
    """What the running command has started at Koyeb."""

    #: The APP/SERVICE the command works on, for the suggested commands.
    target: str = ""
    #: A redeploy about to be sent, or sent without an answer yet.
    redeploy: Redeploy | None = None
    #: The deployment the command started or follows, once its id is known.
    deployment_id: str = ""


def interruption(stop: KeyboardInterrupt, inflight: InFlight) -> Interrupted:
    """The error for a command that `stop` ended: exit 143 for SIGTERM, else 130."""
    kind = Terminated if isinstance(stop, SigTerm) else Interrupted
    deployment_id = inflight.deployment_id
    if not deployment_id and inflight.redeploy is not None:
        try:
            created = inflight.redeploy.created()
        except (KeyboardInterrupt, CachebustError):  # a second Ctrl-C skips the check
            created = None
        target = inflight.target
        if created is None or len(created) > 1:
            return kind(
                "Interrupted while the redeploy request was in flight.",
                "Whether it started a deployment could not be told.",
                f"See the latest deployment with `cachebust status {target}`, and follow it "
                f"with `cachebust watch {target}`; redeploy again only if none started.",
            )
        if not created:
            return kind(
                "Interrupted before the redeploy started a deployment.",
                f"The deployments of {target} are as before: Koyeb had not acted on it.",
                f"Start it again with `cachebust rebuild {target}`.",
            )
        deployment_id = created[0].id
    if deployment_id:
        return kind(
            f"Interrupted: deployment {deployment_id} goes on at Koyeb.",
            "Only cachebust stopped; the deployment it started or followed is unaffected.",
            f"Resume watching it with `cachebust watch {deployment_id}`.",
            deployment_id=deployment_id,
        )
    return kind(
        "Interrupted.",
        "The command stopped before it started anything at Koyeb.",
        "Run it again when you are ready.",
    )


def fleet_interruption(stop: KeyboardInterrupt, ledger: Ledger, targets: list[str]) -> Interrupted:
    """The error for a rebuild of several services that `stop` ended: which deployments
    go on at Koyeb, how to resume watching them, and what had not started."""
    kind = Terminated if isinstance(stop, SigTerm) else Interrupted
    sending, created, ended = ledger.snapshot()
    unclear: list[str] = []
    for target, redeploy in sending.items():
        try:
            new = redeploy.created()
        except (KeyboardInterrupt, CachebustError):  # a second Ctrl-C skips the checks
            new = None
        if new is not None and len(new) == 1:
            created[target] = new[0].id
        elif new is None or new:
            unclear.append(target)
    going = {t: d for t, d in created.items() if t not in ended}
    untouched = [t for t in targets if t not in created and t not in unclear]
    what = f"Interrupted: {len(going)} deployment(s) go on at Koyeb" + (
        ": " + ", ".join(f"{t} {d}" for t, d in going.items()) + "." if going else "."
    )
    why = ["Only cachebust stopped; the deployments it started are unaffected."]
    if unclear:
        why.append(f"Whether the redeploy of {', '.join(unclear)} started one could not be told.")
    if untouched:
        why.append(f"Not redeployed: {', '.join(untouched)}.")
    fixes = [f"`cachebust watch {d}`" for d in going.values()]
    fix = f"Resume watching them with {', '.join(fixes)}." if fixes else ""
    if unclear:
        fix += f" See `cachebust status {unclear[0]}` (and the others) before redeploying them."
    if untouched:
        fix += f" Start the others with `cachebust rebuild {' '.join(untouched)}`."
    return kind(what, " ".join(why), fix.strip() or "Run it again when you are ready.")
