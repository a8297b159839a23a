"""The CLI's flag table as shipped in `cachebust/data/koyeb-cli.json`, with lookups by
any spelling of a command or flag."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any


@dataclass(frozen=True, slots=True)
class FlagSpec:
    """One flag of the CLI: canonical long name, type and the other spellings it accepts."""

    name: str
    type: str
    short: str | None = None
    aliases: tuple[str, ...] = ()
    choices: tuple[str, ...] = ()

    @property
    def takes_value(self) -> bool:
        return self.type != "bool"


@dataclass(frozen=True, slots=True)
class CommandSpec:
    """One `koyeb <group> <command>` of the table."""

    group: str
    name: str
    aliases: tuple[str, ...]
    positionals: int
    passthrough: bool
    flags: Mapping[str, FlagSpec]

    @property
    def path(self) -> str:
        return f"{self.group} {self.name}"


class Table:
    """The whole flag table, with lookups by any spelling."""

    def __init__(self, data: Mapping[str, Any]) -> None:
        self.source: str = data["_source"]
        self.top_level: tuple[str, ...] = tuple(data["top_level_commands"])
        self.global_flags = {name: _flag(name, raw) for name, raw in data["global_flags"].items()}
        self.commands: dict[str, dict[str, CommandSpec]] = {}
        self._groups: dict[str, str] = {}
        self._subs: dict[str, dict[str, str]] = {}
        for group, raw_group in data["groups"].items():
            for spelling in (group, *raw_group["aliases"]):
                self._groups[spelling] = group
            specs = {
                name: CommandSpec(
                    group=group,
                    name=name,
                    aliases=tuple(raw["aliases"]),
                    positionals=raw["positionals"],
                    passthrough=raw.get("passthrough", False),
                    flags={f: _flag(f, spec) for f, spec in raw["flags"].items()},
                )
                for name, raw in raw_group["commands"].items()
            }
            self.commands[group] = specs
            self._subs[group] = {s: c.name for c in specs.values() for s in (c.name, *c.aliases)}

    def group(self, word: str) -> str | None:
        """The canonical group (`services`, `deployments`) for any of its spellings."""
        return self._groups.get(word)

    def command(self, group: str, word: str) -> CommandSpec | None:
        name = self._subs[group].get(word)
        return None if name is None else self.commands[group][name]

    def commands_with_flag(self, long_name: str) -> list[str]:
        """Every `group command` on which `--long_name` (or that alias) is accepted."""
        return [
            spec.path
            for specs in self.commands.values()
            for spec in specs.values()
            if lookup_long(spec.flags, long_name) is not None
        ]


@cache
def table() -> Table:
    """The shipped flag table (read once)."""
    text = resources.files("cachebust").joinpath("data/koyeb-cli.json").read_text("utf-8")
    return Table(json.loads(text))


def _flag(name: str, raw: Mapping[str, Any]) -> FlagSpec:
    return FlagSpec(
        name=name,
        type=raw["type"],
        short=raw.get("short"),
        aliases=tuple(raw.get("aliases", ())),
        choices=tuple(raw.get("choices", ())),
    )


def lookup_long(flags: Mapping[str, FlagSpec], name: str) -> FlagSpec | None:
    if name in flags:
        return flags[name]
    return next((flag for flag in flags.values() if name in flag.aliases), None)


def lookup_short(flags: Mapping[str, FlagSpec], letter: str) -> FlagSpec | None:
    return next((flag for flag in flags.values() if flag.short == letter), None)
