"""The values the guide and the tooling share, read from `[tool.cachebust]`.

They live in one place, the `pyproject.toml` of the repository being worked on;
the docs render them through `cachebust.docs_macros` and the CLI defaults come
from here, so the two cannot disagree.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cachebust.errors import ConfigError

#: The official `koyeb` CLI's default API endpoint, used when nothing else names one.
DEFAULT_API_URL = "https://app.koyeb.com"

_TABLE = "tool.cachebust"
_KEYS = ("app", "service", "dockerfile", "build-arg", "build-arg-default", "api-url")


@dataclass(frozen=True, slots=True)
class Settings:
    """One project's `[tool.cachebust]` table.

    ```python
    settings = load()
    print(settings.target)  # "harvestconnect-backend/api"
    ```
    """

    app: str
    service: str
    dockerfile: str
    build_arg: str
    build_arg_default: str
    api_url: str
    #: Directory holding the `pyproject.toml` the values came from.
    root: Path

    @property
    def target(self) -> str:
        """The `app/service` name the Koyeb CLI and `cachebust` accept."""
        return f"{self.app}/{self.service}"


def find_pyproject(start: Path | None = None) -> Path:
    """The nearest `pyproject.toml` with a `[tool.cachebust]` table, from `start` upwards."""
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        candidate = folder / "pyproject.toml"
        if candidate.is_file() and "cachebust" in _read(candidate).get("tool", {}):
            return candidate
    raise ConfigError(
        what="No cachebust configuration found.",
        why=f"Neither {here} nor any folder above it has a pyproject.toml with a [{_TABLE}] table.",
        fix=f"Run the command inside your project, or add a [{_TABLE}] table with the keys "
        + ", ".join(_KEYS)
        + " to its pyproject.toml.",
    )


def load(start: Path | None = None) -> Settings:
    """Read `[tool.cachebust]` from the nearest `pyproject.toml` at or above `start`."""
    path = find_pyproject(start)
    table = _read(path)["tool"]["cachebust"]
    missing = [key for key in _KEYS if key not in table]
    if missing:
        raise ConfigError(
            what=f"Incomplete [{_TABLE}] table in {path}.",
            why="It lacks " + ", ".join(missing) + ".",
            fix="Add the missing keys; see the guide's configuration reference.",
        )
    wrong = [key for key in _KEYS if not isinstance(table[key], str) or not table[key]]
    if wrong:
        raise ConfigError(
            what=f"Invalid [{_TABLE}] table in {path}.",
            why="These keys must be non-empty strings: " + ", ".join(wrong) + ".",
            fix='Quote the values, for example build-arg-default = "1".',
        )
    return Settings(
        app=table["app"],
        service=table["service"],
        dockerfile=table["dockerfile"],
        build_arg=table["build-arg"],
        build_arg_default=table["build-arg-default"],
        api_url=table["api-url"],
        root=path.parent,
    )


def _read(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(
            what=f"Cannot read {path}.",
            why=f"It is not valid TOML: {exc}.",
            fix="Fix the syntax error at the position shown.",
        ) from exc
