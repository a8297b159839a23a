"""The fake as an httpx transport, for tests that need no socket (like `httpx.MockTransport`)."""

from __future__ import annotations

from collections.abc import Callable

import httpx

from cachebust.fake._wire import Answer, ApiRequest


class FakeTransport(httpx.BaseTransport):
    """Sends each request to `handler` in the same process (`FakeKoyeb.handle`).

    Faults behave as they would on a network: a dropped connection raises
    `httpx.RemoteProtocolError` after the fake acted on the request, and an answer
    later than the request's read timeout raises `httpx.ReadTimeout` (also after
    acting). A late answer within the timeout costs its delay through `sleep` (the
    fake's clock).
    """

    def __init__(
        self, handler: Callable[[ApiRequest], Answer], *, sleep: Callable[[float], None]
    ) -> None:
        self.handler = handler
        self.sleep = sleep

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        api_request = ApiRequest.build(
            request.method,
            request.url.path,
            request.url.query.decode("ascii"),
            dict(request.headers),
            request.read(),
        )
        answer = self.handler(api_request)
        if answer.delay:
            timeout = request.extensions.get("timeout", {}).get("read")
            if timeout is not None and answer.delay > timeout:
                raise httpx.ReadTimeout(
                    "The fake answered after the read timeout.", request=request
                )
            self.sleep(answer.delay)
        if answer.response is None:
            raise httpx.RemoteProtocolError(
                "Server disconnected without sending a response.", request=request
            )
        response = answer.response
        return httpx.Response(
            response.status, headers=response.headers, content=response.body, request=request
        )
