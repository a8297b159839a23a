"""Every reply the probe read, parsed with the koyeb-sdk model the fake checks its own
replies against (the `fake` extra)."""

from __future__ import annotations

from cachebust._contract._findings import Finding, differs, holds
from cachebust._contract._probe import Reply
from cachebust._errors import ConfigError


class MissingSdk(ConfigError):
    """koyeb-sdk, whose models the probe checks replies against, is not installed."""


def require_sdk() -> None:
    """Raise MissingSdk, saying how to install it, unless koyeb-sdk is there."""
    from cachebust.fake._schemas import MissingExtra, require

    try:
        require()
    except MissingExtra as exc:
        raise MissingSdk(
            what="cachebust contract cannot run: koyeb-sdk is not installed.",
            why="It checks every reply against koyeb-sdk's models, the same the fake Koyeb "
            f"API uses. {exc.why}",
            fix=exc.fix,
        ) from None


def fit(replies: list[Reply]) -> Finding:
    """contract: api-fields-evolve: each reply parses as its model (new fields allowed)."""
    from pydantic import ValidationError

    from cachebust.fake._schemas import model

    anchor = "api-fields-evolve"
    problems = []
    for reply in replies:
        try:
            model(reply.model).model_validate(reply.body)
        except ValidationError as exc:
            first = exc.errors()[0]
            where = ".".join(str(part) for part in first["loc"])
            problems.append(f"{reply.path} as {reply.model}: {where}: {first['msg']}")
    if problems:
        return differs(anchor, f"{len(problems)} replies do not fit; {problems[0]}")
    return holds(anchor, f"{len(replies)} replies fit koyeb-sdk's models")
