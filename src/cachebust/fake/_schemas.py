"""The contract, taken from the koyeb-sdk package's pydantic models.

Request bodies are checked against the SDK's request models and refused with a
400 `ErrorWithFields` when a field has the wrong type or is unknown (the SDK's
models silently drop unknown fields, so those are found by walking the model
tree here). Every reply is checked the same way before it is sent; a reply that
does not fit is a bug in the fake and raises `ContractViolation`.

koyeb-sdk (with pydantic) is the `fake` extra, `pip install 'cachebust[fake]'`: the
client and the CLI never need it. The whole SDK takes seconds to import; the fake
imports only the models it checks against, each on its first check, and a missing
SDK is a `MissingExtra` error that says how to install it.
"""

from __future__ import annotations

import functools
import importlib
import importlib.util
import json
import re
import sys
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


# The packages a model module sits in. Their `__init__` modules import the whole SDK
# (the sandbox, both API clients, every model: seconds); the fake needs a few dozen
# models, and each model module imports only the models it refers to.
_PACKAGES = ("koyeb", "koyeb.api", "koyeb.api.models")
_MODELS = _PACKAGES[-1]
# One model import at a time: a thread must not take the bare packages out from under
# another that still imports with them.
_importing = threading.Lock()


def require() -> None:
    """Raise MissingExtra, saying how to install it, unless koyeb-sdk is there."""
    sdk_folder()


@functools.cache
def sdk_folder() -> Path:
    """koyeb-sdk's package directory, without importing any of it."""
    # The top-level package only: finding `koyeb.api.models` would import `koyeb.api`.
    try:
        spec = importlib.util.find_spec("koyeb")
    except (ImportError, ValueError):  # a broken `koyeb` in sys.modules
        spec = None
    for place in (spec.submodule_search_locations or []) if spec is not None else []:
        if (Path(place) / "api" / "models" / "__init__.py").is_file():
            return Path(place)
    raise _missing("No module named 'koyeb.api.models'")


@functools.cache
def _model_modules() -> dict[str, str]:
    """Class name -> its module under koyeb.api.models, as that package's `__init__` lists
    them (`from koyeb.api.models.get_service_reply import GetServiceReply`)."""
    listing = (sdk_folder() / "api" / "models" / "__init__.py").read_text(encoding="utf-8")
    found = re.finditer(rf"^from {re.escape(_MODELS)}\.(\w+) import \(?\s*(\w+)", listing, re.M)
    return {match[2]: match[1] for match in found}


def model_names() -> tuple[str, ...]:
    """The name of every model and enum class of koyeb-sdk, without importing any."""
    return tuple(_model_modules())


def sdk_class(name: str) -> type:
    """koyeb-sdk's model or enum class `name`, importing its module and what that needs."""
    module = _model_modules().get(name)
    if module is None:
        raise TypeError(f"koyeb-sdk has no model {name}")
    found = getattr(sdk_module(f"{_MODELS}.{module}"), name)
    if not isinstance(found, type):
        raise TypeError(f"{_MODELS}.{name} is not a class")
    return found


def sdk_module(name: str) -> ModuleType:
    """The koyeb-sdk module `name` (e.g. "koyeb.api.configuration"), imported without
    its packages' `__init__`, with the modules it imports itself.

    While it imports, the packages stand in `sys.modules` without having run their
    `__init__`; then they are taken out again, so that a later `import koyeb` (the SDK's
    client, in a test) imports the whole SDK as usual, reusing the modules imported here.
    (A thread importing the SDK during those milliseconds would find the bare packages;
    nothing in cachebust imports it.)
    """
    with _importing:
        bare = [package for package in _PACKAGES if package not in sys.modules]
        for package in bare:
            sys.modules[package] = _bare_package(package)
        try:
            return importlib.import_module(name)
        except ImportError as exc:
            raise _missing(str(exc)) from None
        finally:
            for package in bare:
                del sys.modules[package]


def _bare_package(name: str) -> ModuleType:
    path = sdk_folder().joinpath(*name.split(".")[1:])
    spec = importlib.util.spec_from_file_location(
        name, path / "__init__.py", submodule_search_locations=[str(path)]
    )
    assert spec is not None
    return importlib.util.module_from_spec(spec)


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

    found = sdk_class(name)
    if not issubclass(found, BaseModel):
        raise TypeError(f"koyeb.api.models.{name} is not a pydantic model")
    return found


@functools.cache
def enum_values(name: str) -> tuple[str, ...]:
    """The values of the koyeb-sdk enum called `name`, in document order."""
    found = sdk_class(name)
    if not issubclass(found, Enum):
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
