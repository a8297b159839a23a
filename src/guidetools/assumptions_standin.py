"""A stand-in for the fake's assumption registry, `cachebust.fake._assumptions`, until the
branch that adds it (i12-assumptions) is merged; delete this module then.

`guidetools.contract` imports the real registry when it exists and this one otherwise.
It holds three of the real registry's assumptions, with the fields the contract page
renders, so that the page's "Assumptions of the fake" section and the citations of
`assume-*` anchors work before the merge.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class Assumption:
    """One behaviour the fake assumes; `values[0]` is what it does by default."""

    name: str
    values: tuple[str, ...]
    says: str
    otherwise: str
    observable: str
    source: str
    default: str = field(init=False)
    anchor: str = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "default", self.values[0])
        object.__setattr__(self, "anchor", f"assume-{self.name}")


ASSUMPTIONS: tuple[Assumption, ...] = (
    Assumption(
        "scheduled",
        ("after-build", "before-build", "absent"),
        says="A deployment goes PENDING, PROVISIONING (the build), SCHEDULED, ALLOCATING, "
        "STARTING, HEALTHY: SCHEDULED comes after the build.",
        otherwise="SCHEDULED before the build (queued for a builder), or never shown.",
        observable="redeploy",
        source="OpenAPI: Deployment.Status lists the values without meanings or order; the "
        "official CLI's --wait stops on SCHEDULED.",
    ),
    Assumption(
        "previous-deployment-end",
        ("STOPPED", "STASHED"),
        says="When a new deployment turns HEALTHY, the previously active one becomes STOPPED.",
        otherwise="STASHED (the official CLI's deployment list hides STASHED deployments), or "
        "a STOPPING phase first.",
        observable="read-only",
        source="No source says what becomes of the previous deployment.",
    ),
    Assumption(
        "build-log-format",
        ("buildkit-plain", "prefixed"),
        says="A build log is BuildKit's plain progress output: `#N [i/n] STEP`, `#N CACHED`, "
        "`#N DONE 1.2s`, `#N ERROR`.",
        otherwise="Koyeb's own lines around it or a prefix on each line, or another "
        "builder's format.",
        observable="read-only",
        source="No source documents the format of Koyeb's build logs.",
    ),
)
