"""cachebust: force, watch and check uncached Koyeb rebuilds.

The public names are imported on first use, so importing the package (and
starting the CLI) does not pay for httpx, pydantic or the fake API up front.
"""

from __future__ import annotations

from typing import Any

from cachebust import _lazy
from cachebust._version import __version__ as __version__

# Public name -> "module" that defines it, or "module:attribute" when the names differ.
_EXPORTS = {
    "APIError": "cachebust.errors",
    "AuthError": "cachebust.errors",
    "CachebustError": "cachebust.errors",
    "Change": "cachebust.watch",
    "Client": "cachebust.client",
    "ConfigError": "cachebust.errors",
    "ConfigNotFound": "cachebust.errors",
    "Deployment": "cachebust.models",
    "DeploymentFailed": "cachebust.errors",
    "ExitCode": "cachebust.errors",
    "FakeKoyeb": "cachebust.fake",
    "FakeServer": "cachebust.fake",
    "InvalidRequest": "cachebust.errors",
    "InvalidTarget": "cachebust.errors",
    "InvalidToken": "cachebust.errors",
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
    "load_config": "cachebust.config:load",
}

__all__ = sorted([*_EXPORTS, "__version__"])


def __getattr__(name: str) -> Any:
    return _lazy.load(globals(), _EXPORTS, name)


def __dir__() -> list[str]:
    return __all__
