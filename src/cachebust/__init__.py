"""cachebust: force, watch and check uncached Koyeb rebuilds.

The public names are imported on first use, so importing the package (and
starting the CLI) does not pay for httpx, pydantic or the fake API up front.
"""

from __future__ import annotations

import importlib
from typing import Any

from cachebust._version import __version__ as __version__

# Public name -> module that defines it.
_EXPORTS = {
    "APIError": "cachebust.errors",
    "AuthError": "cachebust.errors",
    "CachebustError": "cachebust.errors",
    "Change": "cachebust.watch",
    "Client": "cachebust.client",
    "ConfigError": "cachebust.errors",
    "Deployment": "cachebust.models",
    "DeploymentFailed": "cachebust.errors",
    "ExitCode": "cachebust.errors",
    "FakeKoyeb": "cachebust.fake",
    "FakeServer": "cachebust.fake",
    "InvalidRequest": "cachebust.errors",
    "InvalidTarget": "cachebust.errors",
    "LogEntry": "cachebust.models",
    "MissingToken": "cachebust.errors",
    "NetworkError": "cachebust.errors",
    "NotAllowed": "cachebust.errors",
    "NotFound": "cachebust.errors",
    "RateLimited": "cachebust.errors",
    "RequestTimeout": "cachebust.errors",
    "ServerError": "cachebust.errors",
    "Service": "cachebust.models",
    "Target": "cachebust.models",
    "TokenRejected": "cachebust.errors",
    "WaitTimedOut": "cachebust.errors",
    "Settings": "cachebust.config",
    "load_config": "cachebust.config",
}

__all__ = sorted([*_EXPORTS, "__version__"])


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'cachebust' has no attribute {name!r}")
    attr = "load" if name == "load_config" else name
    value = getattr(importlib.import_module(module), attr)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return __all__
