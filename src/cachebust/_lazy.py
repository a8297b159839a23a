"""Public names imported on first use, for package `__init__` modules.

Keeps `import cachebust` (and so `cachebust --version`) from paying for httpx,
pydantic or the fake API up front: each package lists `name -> "module"` (or
`"module:attribute"` when the public name differs) and delegates its module-level
`__getattr__` here.
"""

from __future__ import annotations

import importlib
from collections.abc import Mapping
from typing import Any


def load(namespace: dict[str, Any], exports: Mapping[str, str], name: str) -> Any:
    """Import `name` for the module whose globals are `namespace`, and keep it there."""
    target = exports.get(name)
    if target is None:
        raise AttributeError(f"module {namespace['__name__']!r} has no attribute {name!r}")
    module, _, attribute = target.partition(":")
    value = getattr(importlib.import_module(module), attribute or name)
    namespace[name] = value
    return value
