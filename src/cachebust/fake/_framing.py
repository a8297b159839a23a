"""How long a request's body is, decided from its headers alone, before a byte of it is read.

The fake serves demos and tests, so it refuses what a careless or hostile client
could use to hold its memory or a thread: an unbounded body, a length it cannot
trust, a body without a length.
"""

from __future__ import annotations

from email.message import Message

from cachebust.fake._wire import ApiError

#: The largest body read, 1 MiB. The API's requests are small JSON documents: a
#: service update with a full definition is a few KiB, so this is hundreds of times
#: anything a real client sends, and five hostile clients cost the server 5 MiB at most.
MAX_BODY = 1024 * 1024

# A length no 64-bit file offset can hold is malformed, not merely large: 400, not 413.
_LARGEST_LENGTH = 2**63 - 1


def body_length(headers: Message) -> int:
    """The length of the body that follows the headers (0 when none is declared).

    Raises ApiError 411 for a body without a Content-Length, 400 for a Content-Length
    that is not one non-negative integer; the caller then cannot know where the body
    ends, so it must close the connection after answering.
    """
    if headers.get_all("Transfer-Encoding"):
        # Koyeb's proxy accepts chunked bodies; the fake does not, so that the length
        # is known, and checked against MAX_BODY, before anything is read. httpx and
        # koyeb-sdk send a Content-Length with every body, so no client of the fake
        # needs chunked; 411 names what to send instead.
        raise ApiError(411, "Send the request body with a Content-Length, not chunked.")
    declared = {
        value.strip()
        for header in headers.get_all("Content-Length") or []
        for value in header.split(",")
    }
    if not declared:
        return 0
    if len(declared) > 1:
        raise ApiError(400, f"Conflicting Content-Length values: {', '.join(sorted(declared))}.")
    (value,) = declared
    # isascii: str.isdigit() also accepts digits such as "²" that int() refuses.
    if not (value.isascii() and value.isdigit()) or len(value) > len(str(_LARGEST_LENGTH)):
        raise ApiError(400, f"Content-Length {value[:40]!r} is not a byte count.")
    length = int(value)
    if length > _LARGEST_LENGTH:
        raise ApiError(400, f"Content-Length {value} is not a byte count.")
    return length


def check_size(length: int) -> None:
    """Raise ApiError 413 unless a body of `length` bytes is within MAX_BODY."""
    if length > MAX_BODY:
        raise ApiError(
            413,
            f"The request body is {length} bytes; the largest accepted is {MAX_BODY} bytes.",
        )
