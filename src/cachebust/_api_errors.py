"""Turn what the Koyeb API (or the network) answered into a typed `CachebustError`.

The error bodies follow the API's document (contract: api-error-bodies): `Error {status,
code, message}` for 401/403/404/5xx, `ErrorWithFields` (adds `fields`) for 400,
`google.rpc.Status {code, message}` for the rest; any of them may be missing or not
JSON, so every field is optional here.

```python
raise error_from_response(response, action="redeploy the service", now=clock.now())
```
"""

from __future__ import annotations

import ssl
from datetime import datetime
from typing import Any

import httpx

from cachebust._credentials import TOKEN_ENV, URL_ENV
from cachebust._errors import (
    APIError,
    InvalidRequest,
    NetworkError,
    NotAllowed,
    NotFound,
    RateLimited,
    RequestTimeout,
    ServerError,
    TokenRejected,
)
from cachebust._retry import parse_retry_after

_NEW_TOKEN = (
    f"Create an API token in the Koyeb control panel and export it in {TOKEN_ENV} "
    f"(read -rs {TOKEN_ENV} && export {TOKEN_ENV}), or run `koyeb login` again."
)

# Failures after which the request may have reached the server (and, for a redeploy,
# may have created a deployment); connect errors and pool timeouts happen before sending.
_MAYBE_SENT = (
    httpx.ReadError,
    httpx.WriteError,
    httpx.ReadTimeout,
    httpx.WriteTimeout,
    httpx.RemoteProtocolError,
)


def error_from_response(
    response: httpx.Response, *, action: str, subject: str = "", now: datetime
) -> APIError:
    """The error for a non-2xx `response` to a request made to `action`."""
    status = response.status_code
    body = _json_body(response)
    code = str(body.get("code", "")) if body.get("code") is not None else ""
    message = str(body.get("message", "")) if isinstance(body.get("message"), str) else ""
    request = f"{response.request.method} {response.request.url.path}"
    said = f": {message}" if message else ""
    extra: dict[str, Any] = {"status": status, "code": code, "message": message}

    if status == 401:
        return TokenRejected(
            what="The Koyeb API rejected the token.",
            why=f"{request} answered HTTP 401{said}; the token is invalid, expired or revoked.",
            fix=_NEW_TOKEN,
            **extra,
        )
    if status == 403:
        return NotAllowed(
            what=f"The token is not allowed to {action}.",
            why=f"{request} answered HTTP 403{said}.",
            fix=f"Use a token of the organization that owns the service, in {TOKEN_ENV}.",
            **extra,
        )
    if status == 404:
        thing = subject or "The resource"
        return NotFound(
            what=f"{thing[0].upper()}{thing[1:]} was not found.",
            why=f"{request} answered HTTP 404{said}.",
            fix="Check the id; `cachebust status APP/SERVICE` shows a service's latest deployments."
            if subject.startswith("deployment")
            else "Check the id or name; `koyeb service list` shows the services this token "
            "can see.",
            **extra,
        )
    if status == 400:
        fields = [
            {"field": str(item.get("field", "")), "description": str(item.get("description", ""))}
            for item in body.get("fields") or []
            if isinstance(item, dict)
        ]
        detail = "".join(f" {f['field']}: {f['description']}." for f in fields)
        return InvalidRequest(
            what=f"The Koyeb API refused to {action}.",
            why=f"{request} answered HTTP 400{said}.{detail}",
            fix="Correct the values named above and run the command again.",
            fields=fields,
            **extra,
        )
    if status == 429:
        wait = parse_retry_after(response.headers.get("retry-after"), now)
        when = f"after {wait:.0f} seconds" if wait is not None else "in a minute"
        return RateLimited(
            what="The Koyeb API rate limit was exceeded.",
            why=f"{request} kept answering HTTP 429 Too Many Requests{said}.",
            fix=f"Wait and run the command again {when}.",
            retry_after=wait,
            **extra,
        )
    return ServerError(
        what=f"The Koyeb API failed to {action}.",
        why=f"{request} answered HTTP {status}{said}.",
        fix="This is on Koyeb's side: run the same command again in a few minutes.",
        **extra,
    )


def unreadable_response(response: httpx.Response, *, action: str) -> ServerError:
    """The error for a 2xx answer whose body is not the JSON object expected."""
    request = f"{response.request.method} {response.request.url.path}"
    return ServerError(
        what=f"The Koyeb API sent an unreadable answer while trying to {action}.",
        why=f"{request} answered HTTP {response.status_code} with a body that is not a JSON "
        "object.",
        fix=f"Check that {URL_ENV} (or [tool.cachebust] api-url) points at the Koyeb API, "
        "then run the command again.",
        status=response.status_code,
    )


def error_from_transport(
    exc: httpx.TransportError, *, action: str, base_url: str, timeout: float
) -> NetworkError:
    """The error for a request that got no HTTP answer at all.

    httpx's own message is never shown: a LocalProtocolError quotes the offending
    request header (which is how a token with a line break would end up on screen),
    and others may quote a URL or the server's bytes. Each kind gets fixed wording,
    plus the operating system's reason when the failure came from a socket.
    """
    sent = isinstance(exc, _MAYBE_SENT)
    if isinstance(exc, httpx.TimeoutException):
        return RequestTimeout(
            what=f"The Koyeb API did not answer in time while trying to {action}.",
            why=f"No answer from {base_url} within {timeout:g} seconds.",
            fix="Check your network connection and run the command again.",
            sent=sent,
        )
    what = next((text for kind, text in _TRANSPORT_FAILURES if isinstance(exc, kind)), "")
    reason = _os_reason(exc)
    why = (what or "the connection failed") + (f" ({reason})" if reason else "")
    return NetworkError(
        what=f"Cannot reach the Koyeb API at {base_url}.",
        why=f"While trying to {action}, {why}.",
        fix=f"Check your network connection, and that {URL_ENV} (or [tool.cachebust] api-url) "
        "is the right address.",
        sent=sent,
    )


# Most specific first: ProxyError and UnsupportedProtocol are TransportErrors too.
_TRANSPORT_FAILURES: tuple[tuple[type[httpx.TransportError], str], ...] = (
    (httpx.LocalProtocolError, "the request could not be formed"),
    (httpx.UnsupportedProtocol, "the URL's scheme is neither http nor https"),
    (httpx.ProxyError, "the proxy failed the connection"),
    (httpx.RemoteProtocolError, "the server broke off or broke the HTTP exchange"),
    (httpx.ConnectError, "the connection could not be opened"),
    (httpx.ReadError, "the connection failed while reading the answer"),
    (httpx.WriteError, "the connection failed while sending the request"),
)


def _os_reason(exc: BaseException) -> str:
    """The operating system's words for the socket error behind `exc`, if one is."""
    seen: set[int] = set()
    cause: BaseException | None = exc
    while cause is not None and id(cause) not in seen:
        seen.add(id(cause))
        if isinstance(cause, ssl.SSLError):
            return f"TLS: {cause.reason or 'handshake failed'}"
        if isinstance(cause, OSError) and cause.strerror:
            return cause.strerror
        cause = cause.__cause__ or cause.__context__
    return ""


def _json_body(response: httpx.Response) -> dict[str, Any]:
    try:
        body = response.json()
    except ValueError:
        return {}
    return body if isinstance(body, dict) else {}
