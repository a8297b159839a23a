"""Identifiers and timestamps in the exact shapes Koyeb uses.

Ids are lowercase UUIDv4 strings (the `koyeb` CLI only treats those as ids);
they come from a seeded generator so two fakes built alike hand out the same ids.
Timestamps are RFC 3339 in UTC with a `Z`, which is also the only layout the
CLI's log tail parses.
"""

from __future__ import annotations

import random
import re
import uuid
from datetime import UTC, datetime, timedelta

# protojson's Timestamp layout: RFC 3339 with up to nine fraction digits and an offset.
_RFC3339 = re.compile(r"^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:\d{2})$")


class IdFactory:
    """Deterministic lowercase UUIDv4 ids and git-like commit hashes."""

    def __init__(self, seed: int) -> None:
        self._random = random.Random(seed)

    def uuid(self) -> str:
        return str(uuid.UUID(int=self._random.getrandbits(128), version=4))

    def sha(self) -> str:
        return f"{self._random.getrandbits(160):040x}"

    def hex(self, length: int) -> str:
        return f"{self._random.getrandbits(4 * length):0{length}x}"


def rfc3339(moment: datetime) -> str:
    """`2026-05-01T12:00:00.250000Z`-style text (microseconds only when non-zero)."""
    moment = moment.astimezone(UTC)
    text = moment.strftime("%Y-%m-%dT%H:%M:%S")
    if moment.microsecond:
        text += f".{moment.microsecond:06d}"
    return text + "Z"


def parse_rfc3339(text: str) -> datetime | None:
    """The instant `text` names, or None when it is not RFC 3339 (e.g. `+0000` offsets)."""
    match = _RFC3339.match(text)
    if match is None:
        return None
    whole, fraction, zone = match.groups()
    try:
        moment = datetime.fromisoformat(whole + ("+00:00" if zone == "Z" else zone))
    except ValueError:
        return None
    micros = int((fraction or "0")[:6].ljust(6, "0"))
    return moment.astimezone(UTC) + timedelta(microseconds=micros)
