"""The values the guide and the tooling share, read from `[tool.cachebust]`.

They live in one place, the `pyproject.toml` of the repository being worked on;
the docs render them through `guidetools.macros` and the CLI defaults come
from here, so the two cannot disagree.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cachebust._api_url import check_api_url
from cachebust._errors import ConfigError, ConfigNotFound, shown

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
    return _find(start)[0]


def _find(start: Path | None) -> tuple[Path, Any]:
    """`find_pyproject`'s file and its `tool.cachebust` value, the file read once."""
    try:
        here = (start or Path.cwd()).resolve()
    except OSError as exc:  # the working folder was deleted under the shell
        raise ConfigNotFound(
            what="No cachebust configuration found.",
            why=f"The current folder cannot be read ({exc.strerror}); it may have been deleted.",
            fix="Change to your project's folder and run the command again.",
        ) from None
    for folder in (here, *here.parents):
        candidate = folder / "pyproject.toml"
        if candidate.is_file() and (table := _table(_read(candidate))) is not None:
            return candidate, table
    raise ConfigNotFound(
        what="No cachebust configuration found.",
        why=f"Neither {shown(here)} nor any folder above it has a pyproject.toml with a "
        f"[{_TABLE}] table.",
        fix=f"Run the command inside your project, or add a [{_TABLE}] table with the keys "
        + ", ".join(_KEYS)
        + " to its pyproject.toml.",
    )


def load(start: Path | None = None) -> Settings:
    """Read `[tool.cachebust]` from the nearest `pyproject.toml` at or above `start`."""
    path, table = _find(start)
    if not isinstance(table, dict):
        raise ConfigError(
            what=f"Invalid [{_TABLE}] in {shown(path)}.",
            why=f"tool.cachebust is a {type(table).__name__}, not a table.",
            fix=f"Make it a table: a [{_TABLE}] header followed by the keys "
            + ", ".join(_KEYS)
            + ".",
        )
    missing = [key for key in _KEYS if key not in table]
    if missing:
        raise ConfigError(
            what=f"Incomplete [{_TABLE}] table in {shown(path)}.",
            why="It lacks " + ", ".join(missing) + ".",
            fix="Add the missing keys; see the guide's configuration reference.",
        )
    wrong = [key for key in _KEYS if not isinstance(table[key], str) or not table[key]]
    if wrong:
        raise ConfigError(
            what=f"Invalid [{_TABLE}] table in {shown(path)}.",
            why="These keys must be non-empty strings: " + ", ".join(wrong) + ".",
            fix='Quote the values, for example build-arg-default = "1".',
        )
    check_api_url(table["api-url"], f"api-url in [{_TABLE}] of {shown(path)}")
    return Settings(
        app=table["app"],
        service=table["service"],
        dockerfile=table["dockerfile"],
        build_arg=table["build-arg"],
        build_arg_default=table["build-arg-default"],
        api_url=table["api-url"],
        root=path.parent,
    )


def _table(document: dict[str, Any]) -> Any:
    """What `tool.cachebust` holds in a parsed pyproject.toml (None when nothing)."""
    tool = document.get("tool")
    return tool.get("cachebust") if isinstance(tool, dict) else None


def _read(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except OSError as exc:
        raise ConfigError(
            what=f"Cannot read {shown(path)}.",
            why=f"{exc.strerror or type(exc).__name__}.",
            fix="Make the file readable, or run the command in another folder.",
        ) from None
    except UnicodeDecodeError:
        raise ConfigError(
            what=f"Cannot read {shown(path)}.",
            why="It is not UTF-8 text, which TOML requires.",
            fix="Save it as UTF-8.",
        ) from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(
            what=f"Cannot read {shown(path)}.",
            why=f"It is not valid TOML: {exc}.",
            fix="Fix the syntax error at the position shown.",
        ) from exc
