"""What the probe concludes about one contract entry: it holds, it differs, or it cannot
be observed, with what was seen or why not."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Verdict = Literal["holds", "differs", "not observable"]


@dataclass(frozen=True, slots=True)
class Finding:
    """One line of `cachebust contract`: the entry's anchor, the verdict and its detail."""

    anchor: str
    verdict: Verdict
    #: What was seen (for `holds`, a short summary; for `differs`, what differs) or, for
    #: `not observable`, why.
    detail: str = ""

    def line(self, width: int = 0) -> str:
        said = f" ({self.detail})" if self.verdict == "holds" and self.detail else ""
        if self.verdict != "holds" and self.detail:
            said = f": {self.detail}"
        return f"{self.anchor:<{width}}  {self.verdict}{said}"

    def to_dict(self) -> dict[str, str]:
        return {"anchor": self.anchor, "verdict": self.verdict, "detail": self.detail}


def holds(anchor: str, detail: str = "") -> Finding:
    return Finding(anchor, "holds", detail)


def differs(anchor: str, detail: str) -> Finding:
    return Finding(anchor, "differs", detail)


def unseen(anchor: str, why: str) -> Finding:
    return Finding(anchor, "not observable", why)
