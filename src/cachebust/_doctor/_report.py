"""What `cachebust doctor` found: one `Check` per question, rendered as text or JSON."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from enum import Enum


class Status(Enum):
    PASS = "pass"
    WARN = "warn"
    FAIL = "fail"


@dataclass(frozen=True, slots=True)
class Check:
    """One answered question: a stable `id`, the verdict, what was found, and the fix."""

    id: str
    status: Status
    message: str
    #: How to fix it; empty for a pass.
    fix: str = ""
    #: Where it was found, as `path:line` relative to the checked folder, when it applies.
    where: str = ""

    def to_dict(self) -> dict[str, str]:
        return {
            "id": self.id,
            "status": self.status.value,
            "message": self.message,
            "fix": self.fix,
            "where": self.where,
        }


def passed(check_id: str, message: str, where: str = "") -> Check:
    return Check(check_id, Status.PASS, message, "", where)


def warned(check_id: str, message: str, fix: str, where: str = "") -> Check:
    return Check(check_id, Status.WARN, message, fix, where)


def failed(check_id: str, message: str, fix: str, where: str = "") -> Check:
    return Check(check_id, Status.FAIL, message, fix, where)


@dataclass(frozen=True, slots=True)
class Report:
    """Every check of one run, in the order they ran."""

    checks: tuple[Check, ...]
    #: Lines printed after the summary, such as which checks were skipped.
    notes: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        """True when nothing failed (warnings do not fail the run)."""
        return all(check.status is not Status.FAIL for check in self.checks)

    def count(self, status: Status) -> int:
        return sum(check.status is status for check in self.checks)

    def summary(self) -> str:
        return (
            f"{self.count(Status.PASS)} passed, {self.count(Status.WARN)} warnings, "
            f"{self.count(Status.FAIL)} failed"
        )

    def lines(self) -> list[str]:
        """The text report: one line per check, then `fix:` under each non-pass, then a summary."""
        out: list[str] = []
        for check in self.checks:
            where = f" ({check.where})" if check.where else ""
            out.append(f"{check.status.value:<4}  {check.id}: {check.message}{where}")
            if check.fix:
                out.extend(_indent("fix: " + check.fix))
        out.append(self.summary() + "".join(f" ({note})" for note in self.notes))
        return out

    def to_json(self) -> str:
        return json.dumps(
            {
                "ok": self.ok,
                "notes": list(self.notes),
                "summary": {status.value: self.count(status) for status in Status},
                "checks": [check.to_dict() for check in self.checks],
            },
            indent=2,
        )


def _indent(text: str) -> Sequence[str]:
    return [f"      {line}" for line in text.splitlines()]
