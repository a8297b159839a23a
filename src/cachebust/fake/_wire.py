"""What travels over the wire: requests in, replies out, and Koyeb's error bodies.

Error bodies follow the API's three shapes: `ErrorWithFields` for 400, `Error`
for 401/403/404/500/503 (both with an integer `status`, which the `koyeb` CLI
dereferences), and `google.rpc.Status` for every other code, such as 429.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl

JSON_TYPE = "application/json"

# The `code` strings the API documents for each status (contract: api-error-bodies); its
# 403 example says `authentication_required` (contract: assume-forbidden-code).
_CODES = {
    400: ("invalid_argument", "Invalid argument"),
    401: ("authentication_error", "Request unauthenticated with bearer"),
    403: ("authorization_required", "Insufficient rights to perform this request"),
    404: ("unknown_resource", "Not found"),
    500: ("api_error", "Internal server error"),
    503: ("api_error", "Service unavailable"),
}
# google.rpc.Code numbers (and messages) for statuses that use google.rpc.Status bodies;
# any other status gets 2, UNKNOWN.
_RPC_CODES = {
    501: (12, "Not implemented"),
    429: (8, "Too many requests: rate limit exceeded"),  # contract: assume-rate-limit
    504: (4, "Gateway timeout"),
    # The fake's own refusals of a request's framing (see framing.py). gRPC itself
    # answers a message over its size limit with RESOURCE_EXHAUSTED (8).
    411: (3, "Length required"),
    413: (8, "Request body too large"),
}


@dataclass(frozen=True)
class ApiRequest:
    method: str
    path: str
    #: Query pairs in order, repeated keys kept (`statuses=A&statuses=B`).
    query: tuple[tuple[str, str], ...]
    #: Header names lower-cased.
    headers: dict[str, str]
    body: bytes = b""

    @classmethod
    def build(
        cls, method: str, path: str, raw_query: str, headers: dict[str, str], body: bytes
    ) -> ApiRequest:
        pairs = tuple(parse_qsl(raw_query, keep_blank_values=True))
        lowered = {name.lower(): value for name, value in headers.items()}
        return cls(method.upper(), path, pairs, lowered, body)


@dataclass
class ApiResponse:
    status: int
    body: bytes
    headers: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.headers.setdefault("Content-Type", JSON_TYPE)


@dataclass(frozen=True)
class Answer:
    """The reply and how it is delivered: on time, `delay` seconds late, or not at all."""

    response: ApiResponse | None
    delay: float | None = None
    #: Close the connection without a reply (the request was still acted on).
    drop: bool = False


class ApiError(Exception):
    """A handler's refusal, sent as the error body Koyeb uses for `status`."""

    def __init__(
        self,
        status: int,
        message: str | None = None,
        *,
        fields: list[tuple[str, str]] | None = None,
        retry_after: int | None = None,
    ) -> None:
        super().__init__(message or f"HTTP {status}")
        self.status = status
        self.message = message
        self.fields = fields or []
        self.retry_after = retry_after

    def body(self) -> dict[str, Any]:
        if self.status not in _CODES:
            number, default = _RPC_CODES.get(self.status, (2, f"HTTP {self.status}"))
            return {"code": number, "message": self.message or default, "details": []}
        code, default = _CODES[self.status]
        body: dict[str, Any] = {
            "status": self.status,
            "code": code,
            "message": self.message or default,
        }
        if self.status == 400 and self.fields:
            body["fields"] = [{"field": f, "description": d} for f, d in self.fields]
        return body

    def model(self) -> str:
        """The koyeb-sdk model this error's body must parse as."""
        if self.status == 400:
            return "ErrorWithFields"
        return "Error" if self.status in _CODES else "GoogleRpcStatus"

    def response(self) -> ApiResponse:
        headers = {"Retry-After": str(self.retry_after)} if self.retry_after is not None else {}
        return ApiResponse(self.status, encode(self.body()), headers)


def invalid(field_name: str, description: str, message: str | None = None) -> ApiError:
    """A 400 `invalid_argument` naming one bad field."""
    return ApiError(400, message, fields=[(field_name, description)])


def encode(body: object) -> bytes:
    return json.dumps(body, separators=(",", ":")).encode()
