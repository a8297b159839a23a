"""Every error `cachebust` raises, each carrying what failed, why, and how to fix it.

```
CachebustError                 (what, why, fix, exit_code)
└── ConfigError                usage: bad or missing [tool.cachebust], bad arguments
```

The library raises these and never prints; the CLI renders them once, at its edge
(`cachebust.cli`), and exits with `exit_code`.
"""

from __future__ import annotations

from enum import IntEnum
from typing import ClassVar


class ExitCode(IntEnum):
    """The process exit codes, documented in `cachebust --help` and the CLI reference."""

    OK = 0
    #: `cachebust doctor` found a failing check.
    CHECKS_FAILED = 1
    #: Bad arguments or configuration (Click's own usage errors also exit 2).
    USAGE = 2
    #: Token missing, rejected, or not allowed to do this.
    AUTH = 3
    #: The app, service or deployment does not exist.
    NOT_FOUND = 4
    #: The deployment ended in a failure status.
    DEPLOYMENT_FAILED = 5
    #: The deployment did not finish within --timeout.
    TIMED_OUT = 6
    #: The Koyeb API or the network failed (rate limit, 5xx, connection, request timeout).
    API = 7


class CachebustError(Exception):
    """Base class: an error with a What / Why / How-to-fix explanation."""

    exit_code: ClassVar[ExitCode] = ExitCode.API

    def __init__(self, what: str, why: str, fix: str) -> None:
        super().__init__(what)
        self.what = what
        self.why = why
        self.fix = fix

    def __str__(self) -> str:
        return f"{self.what} {self.why} {self.fix}"


class ConfigError(CachebustError):
    """The configuration or the command-line arguments are unusable."""

    exit_code = ExitCode.USAGE
