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
    "APIError": "cachebust._errors",
    "AuthError": "cachebust._errors",
    "CachebustError": "cachebust._errors",
    "Change": "cachebust._watch",
    "Client": "cachebust._client",
    "ConfigError": "cachebust._errors",
    "ConfigNotFound": "cachebust._errors",
    "Deployment": "cachebust._models",
    "DeploymentStatus": "cachebust._models",
    "DeploymentError": "cachebust._errors",
    "DeploymentFailed": "cachebust._errors",
    "ExitCode": "cachebust._errors",
    "FakeKoyeb": "cachebust.fake",
    "FakeServer": "cachebust.fake",
    "InvalidRequest": "cachebust._errors",
    "InvalidTarget": "cachebust._errors",
    "InvalidToken": "cachebust._errors",
    "Interrupted": "cachebust._errors",
    "LogEntry": "cachebust._models",
    "MissingToken": "cachebust._errors",
    "NetworkError": "cachebust._errors",
    "NotAllowed": "cachebust._errors",
    "NotFound": "cachebust._errors",
    "RateLimited": "cachebust._errors",
    "Redeploy": "cachebust._redeploy",
    "RedeployUnknown": "cachebust._errors",
    "RequestTimeout": "cachebust._errors",
    "ServerError": "cachebust._errors",
    "Service": "cachebust._models",
    "Target": "cachebust._models",
    "Terminated": "cachebust._errors",
    "TokenRejected": "cachebust._errors",
    "WaitTimedOut": "cachebust._errors",
    "Settings": "cachebust._config",
    "load_config": "cachebust._config:load",
}

__all__ = sorted([*_EXPORTS, "__version__"])


def __getattr__(name: str) -> Any:
    return _lazy.load(globals(), _EXPORTS, name)


def __dir__() -> list[str]:
    return __all__
