"""The contract, taken from the koyeb-sdk package's pydantic models.

Request bodies are checked against the SDK's request models and refused with a
400 `ErrorWithFields` when a field has the wrong type or is unknown (the SDK's
models silently drop unknown fields, so those are found by walking the model
tree here). Every reply is checked the same way before it is sent; a reply that
does not fit is a bug in the fake and raises `ContractViolation`.

koyeb-sdk (with pydantic) is the `fake` extra, `pip install 'cachebust[fake]'`: the
client and the CLI never need it. It takes seconds to import, so it is imported on the
first check, and a missing one is a `MissingExtra` error that says how to install it.
"""

from __future__ import annotations

import functools
import importlib
import importlib.util
import json
import threading
import types
import typing
from enum import Enum
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, Any

from cachebust._errors import ConfigError
from cachebust.fake._wire import ApiError, invalid

if TYPE_CHECKING:
    from pydantic import BaseModel

Problems = list[tuple[str, str]]


class ContractViolation(AssertionError):
    """The fake was about to send a reply its koyeb-sdk model rejects."""


class MissingExtra(ConfigError):
    """koyeb-sdk, which the fake checks every request and reply against, is not installed."""


@functools.cache
def models() -> ModuleType:
    """koyeb-sdk's models, imported on first use."""
    try:
        return importlib.import_module("koyeb.api.models")
    except ImportError as exc:
        raise _missing(str(exc)) from None


def preload() -> None:
    """Check that koyeb-sdk is there (at once), and import it in the background: it takes
    seconds, and a server can listen meanwhile (a first check waits for the import)."""
    # The top-level package only: finding `koyeb.api.models` would import `koyeb.api`,
    # which loads the whole SDK.
    try:
        spec = importlib.util.find_spec("koyeb")
    except (ImportError, ValueError):  # a broken `koyeb` in sys.modules
        spec = None
    places = (spec.submodule_search_locations or []) if spec is not None else []
    if not any((Path(place) / "api" / "models").is_dir() for place in places):
        raise _missing("No module named 'koyeb.api.models'")
    threading.Thread(target=models, name="koyeb-sdk-import", daemon=True).start()


def _missing(reason: str) -> MissingExtra:
    return MissingExtra(
        what="The fake Koyeb API cannot start: koyeb-sdk is not installed.",
        why=f"The fake checks every request and reply against koyeb-sdk's models ({reason}).",
        fix="Install the fake's extra: pip install 'cachebust[fake]' (make install "
        "does, from requirements/lock.txt).",
    )


@functools.cache
def model(name: str) -> type[BaseModel]:
    """The koyeb-sdk model class called `name` (e.g. "GetServiceReply")."""
    from pydantic import BaseModel

    found = getattr(models(), name)
    if not (isinstance(found, type) and issubclass(found, BaseModel)):
        raise TypeError(f"koyeb.api.models.{name} is not a pydantic model")
    return found


@functools.cache
def enum_values(name: str) -> tuple[str, ...]:
    """The values of the koyeb-sdk enum called `name`, in document order."""
    found = getattr(models(), name)
    if not (isinstance(found, type) and issubclass(found, Enum)):
        raise TypeError(f"koyeb.api.models.{name} is not an enum")
    return tuple(str(member.value) for member in found)


def request_body(name: str, raw: bytes) -> dict[str, Any]:
    """`raw` parsed as the request model `name`, or a 400 naming every bad field (an
    unknown one too: contract: assume-unknown-body-fields)."""
    try:
        data = json.loads(raw) if raw.strip() else {}
    except (ValueError, UnicodeDecodeError) as exc:
        raise invalid("body", f"not valid JSON: {exc}") from None
    if not isinstance(data, dict):
        raise invalid("body", "must be a JSON object")
    problems = check(name, data)
    if problems:
        raise ApiError(400, "Invalid argument", fields=problems)
    return data


def check_reply(name: str, body: object) -> None:
    """Raise ContractViolation unless `body` parses as the koyeb-sdk model `name`."""
    problems = check(name, body)
    if problems:
        listed = "; ".join(f"{where}: {why}" for where, why in problems)
        raise ContractViolation(f"reply does not fit koyeb-sdk {name}: {listed}")


def check(name: str, data: object) -> Problems:
    """Every unknown field and wrongly typed value in `data` for the model `name`.

    `name` "object" is the SDK's type for replies without a model (CancelDeployment's `{}`).
    """
    if not isinstance(data, dict):
        return [("", f"expected a JSON object for {name}")]
    if name == "object":
        return []
    from pydantic import ValidationError

    cls = model(name)
    problems = _unknown(cls, data, "")
    try:
        cls.model_validate(data)
    except ValidationError as exc:
        problems += [(_where(error["loc"]), error["msg"]) for error in exc.errors()]
    return problems


def _unknown(cls: type[BaseModel], data: dict[str, Any], where: str) -> Problems:
    fields = {(info.alias or key): info.annotation for key, info in cls.model_fields.items()}
    problems: Problems = []
    for key, value in data.items():
        path = f"{where}.{key}" if where else key
        if key not in fields:
            problems.append((path, "unknown field"))
        else:
            problems += _walk(fields[key], value, path)
    return problems


def _walk(annotation: Any, value: Any, path: str) -> Problems:
    origin = typing.get_origin(annotation)
    args = typing.get_args(annotation)
    if origin in (typing.Union, types.UnionType):
        return [p for arg in args if arg is not type(None) for p in _walk(arg, value, path)]
    if origin is list and isinstance(value, list):
        return [p for i, item in enumerate(value) for p in _walk(args[0], item, f"{path}[{i}]")]
    if origin is dict and isinstance(value, dict):
        return [p for key, item in value.items() for p in _walk(args[1], item, f"{path}.{key}")]
    from pydantic import BaseModel

    if (
        isinstance(annotation, type)
        and issubclass(annotation, BaseModel)
        and isinstance(value, dict)
    ):
        return _unknown(annotation, value, path)
    return []


def _where(loc: tuple[int | str, ...]) -> str:
    text = ""
    for part in loc:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else part)
    return text
