"""Every error `cachebust` raises, each carrying what failed, why, and how to fix it.

```
CachebustError                 (what, why, fix, exit_code)
├── ConfigError             2  bad or missing [tool.cachebust], bad arguments
│   ├── ConfigNotFound      2  no pyproject.toml with a [tool.cachebust] table
│   └── InvalidTarget       2  APP/SERVICE is not in an accepted format
├── AuthError               3
│   ├── MissingToken        3  no KOYEB_TOKEN and no token: in $HOME/.koyeb.yaml
│   ├── InvalidToken        3  a token an HTTP header cannot carry (a line break, ...)
│   ├── TokenRejected       3  HTTP 401 (also an APIError)
│   └── NotAllowed          3  HTTP 403 (also an APIError)
├── APIError                7  the API answered with an error (status, code, message)
│   ├── NotFound            4  HTTP 404, or no app/service/deployment of that name
│   ├── InvalidRequest      2  HTTP 400, with the API's `fields`
│   ├── RateLimited         7  HTTP 429 (retry_after)
│   ├── ServerError         7  HTTP 5xx or an answer the client cannot read
│   └── RedeployUnknown     7  a redeploy failed unclearly, and whether it acted is unknown
├── NetworkError            7  no answer: connection refused, dropped, DNS
│   └── RequestTimeout      7  no answer within the request timeout
├── DeploymentError            (deployment_id, status)
│   ├── DeploymentFailed    5  the deployment ended in a failure status
│   └── WaitTimedOut        6  the deployment was still running at --timeout
└── Interrupted           130  Ctrl-C stopped the command (the deployment goes on at Koyeb)
    └── Terminated        143  SIGTERM stopped it
```

The library raises these and never prints; the CLI renders them once, at its edge
(`cachebust.cli`), and exits with `exit_code`. An error that the guide's troubleshooting
page has an entry for names it in `troubleshooting` (the entry's anchor on
`TROUBLESHOOTING_PAGE`): the CLI's fix line points there, and the CLI reference page's
exit-code table links the same entries. A value the user typed or a path is put in a
message through `shown()`, so that a line break or a byte that is not UTF-8 in it cannot
break the three-line layout.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from enum import IntEnum
from typing import ClassVar

#: The guide's troubleshooting page, as the repository holds it; `troubleshooting` anchors
#: are headings of it (tests/site checks that each one exists).
TROUBLESHOOTING_PAGE = "docs/troubleshooting.md"


def shown(value: object) -> str:
    """`value` as text for an error message: quoted and escaped unless plainly printable."""
    text = str(value)
    return text if text.isprintable() else ascii(text)


class ExitCode(IntEnum):
    """The process exit codes, documented in `cachebust --help` and the CLI reference.

    Each member's `__doc__` is its one-line description, which the help texts list.
    """

    def __new__(cls, value: int, doc: str) -> ExitCode:
        member = int.__new__(cls, value)
        member._value_ = value
        member.__doc__ = doc
        return member

    OK = 0, "Success (for `cachebust doctor`: no check failed; warnings do not count)."
    CHECKS_FAILED = (
        1,
        (
            "`cachebust doctor` found a failing check, or `cachebust contract` a behaviour "
            "that differs from the fake's."
        ),
    )
    USAGE = 2, "Bad arguments or configuration (Click's own usage errors also exit 2)."
    AUTH = 3, "Token missing, rejected, or not allowed to do this."
    NOT_FOUND = 4, "The app, service or deployment does not exist."
    DEPLOYMENT_FAILED = 5, "The deployment ended in a failure status."
    TIMED_OUT = 6, "The deployment did not finish within --timeout."
    API = 7, "The Koyeb API or the network failed (rate limit, 5xx, connection, timeout)."
    INTERRUPTED = 130, "Interrupted by Ctrl-C (SIGINT); a deployment already started goes on."
    TERMINATED = 143, "Stopped by SIGTERM; a deployment already started goes on."


class CachebustError(Exception):
    """Base class: an error with a What / Why / How-to-fix explanation.

    ```python
    try:
        client.redeploy(service_id)
    except CachebustError as exc:
        print(exc.what, exc.why, exc.fix, int(exc.exit_code))
    ```
    """

    exit_code: ClassVar[ExitCode] = ExitCode.API
    #: The anchor of this error's entry on `TROUBLESHOOTING_PAGE`, or "" for none.
    troubleshooting: ClassVar[str] = ""

    def __init__(self, what: str, why: str, fix: str) -> None:
        super().__init__(what)
        self.what = what
        self.why = why
        self.fix = fix

    def __str__(self) -> str:
        return f"{self.what} {self.why} {self.fix}"

    def to_json(self) -> dict[str, object]:
        """The error as a `--json` event (`cachebust rebuild --json` writes it last)."""
        return {
            "event": "error",
            "kind": type(self).__name__,
            "exit_code": int(self.exit_code),
            "what": self.what,
            "why": self.why,
            "fix": self.fix,
        }


class ConfigError(CachebustError):
    """The configuration or the command-line arguments are unusable."""

    exit_code = ExitCode.USAGE


class ConfigNotFound(ConfigError):
    """No `pyproject.toml` at or above the folder has a `[tool.cachebust]` table."""


class InvalidTarget(ConfigError):
    """An `APP/SERVICE` argument that is neither `app/service` nor a service id."""

    troubleshooting = "unable-to-find-the-service"


class AuthError(CachebustError):
    """No usable API token."""

    exit_code = ExitCode.AUTH


class MissingToken(AuthError):
    """Neither `KOYEB_TOKEN` nor the `token:` key of `$HOME/.koyeb.yaml` holds a token."""

    troubleshooting = "koyeb_token-not-set"


class InvalidToken(AuthError):
    """A token with characters an HTTP header cannot carry; the message never quotes it."""


class APIError(CachebustError):
    """The Koyeb API answered a request with an error.

    `status` is the HTTP status (None when the error was not an HTTP answer, e.g. a
    name that matched nothing), `code` and `message` come from the error body.
    """

    def __init__(
        self,
        what: str,
        why: str,
        fix: str,
        *,
        status: int | None = None,
        code: str = "",
        message: str = "",
    ) -> None:
        super().__init__(what, why, fix)
        self.status = status
        self.code = code
        self.message = message


class TokenRejected(AuthError, APIError):
    """HTTP 401: the token is invalid, expired or revoked."""

    troubleshooting = "401-the-token-is-rejected"


class NotAllowed(AuthError, APIError):
    """HTTP 403: the token is valid but may not do this."""


class NotFound(APIError):
    """HTTP 404, or no app, service or deployment matches the name given."""

    exit_code = ExitCode.NOT_FOUND

    troubleshooting = "unable-to-find-the-service"


class InvalidRequest(APIError):
    """HTTP 400: the API rejected the request's parameters; `fields` says which."""

    exit_code = ExitCode.USAGE

    def __init__(
        self,
        what: str,
        why: str,
        fix: str,
        *,
        status: int | None = 400,
        code: str = "",
        message: str = "",
        fields: Sequence[Mapping[str, str]] = (),
    ) -> None:
        super().__init__(what, why, fix, status=status, code=code, message=message)
        self.fields = [dict(field) for field in fields]


class RateLimited(APIError):
    """HTTP 429: too many requests; `retry_after` is the server's wait hint in seconds."""

    def __init__(
        self,
        what: str,
        why: str,
        fix: str,
        *,
        status: int | None = 429,
        code: str = "",
        message: str = "",
        retry_after: float | None = None,
    ) -> None:
        super().__init__(what, why, fix, status=status, code=code, message=message)
        self.retry_after = retry_after


class ServerError(APIError):
    """HTTP 5xx, or an answer the client cannot read."""


class RedeployUnknown(APIError):
    """A redeploy failed in a way that leaves unknown whether Koyeb started a deployment,
    and listing the service's deployments could not settle it."""


class NetworkError(CachebustError):
    """No HTTP answer: the API could not be reached or the connection dropped.

    `sent` is True when the request may have reached the server before the failure,
    which is what makes retrying a redeploy ambiguous.
    """

    def __init__(self, what: str, why: str, fix: str, *, sent: bool = False) -> None:
        super().__init__(what, why, fix)
        self.sent = sent


class RequestTimeout(NetworkError):
    """The API did not answer within the request timeout."""


class DeploymentError(CachebustError):
    """A deployment did not end as hoped; `deployment_id` and its last `status` say which."""

    def __init__(self, what: str, why: str, fix: str, *, deployment_id: str, status: str) -> None:
        super().__init__(what, why, fix)
        self.deployment_id = deployment_id
        self.status = status

    def to_json(self) -> dict[str, object]:
        return {**super().to_json(), "deployment_id": self.deployment_id, "status": self.status}


class DeploymentFailed(DeploymentError):
    """The deployment ended in a failure status (ERROR, CANCELED, ...)."""

    exit_code = ExitCode.DEPLOYMENT_FAILED

    troubleshooting = "the-build-fails-with-the-cache-bust"


class WaitTimedOut(DeploymentError):
    """The deployment had not finished when the wait's timeout ran out."""

    exit_code = ExitCode.TIMED_OUT

    troubleshooting = "the-wait-ran-out-timeout-wait-timeout"


class Interrupted(CachebustError):
    """Ctrl-C (SIGINT) stopped the command. `deployment_id` is the deployment that goes
    on at Koyeb, when one is known."""

    exit_code = ExitCode.INTERRUPTED

    troubleshooting = "the-wait-ran-out-timeout-wait-timeout"

    def __init__(self, what: str, why: str, fix: str, *, deployment_id: str = "") -> None:
        super().__init__(what, why, fix)
        self.deployment_id = deployment_id


class Terminated(Interrupted):
    """SIGTERM stopped the command (a CI job cancelled, a container stopped)."""

    exit_code = ExitCode.TERMINATED
