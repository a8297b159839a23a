"""The fake as a real HTTP server on a loopback address.

It answers with the same `FakeKoyeb.handle` as the in-process transport, in a
background thread, while the fake's clock follows real time times `speed`.

`cachebust fake-api` offers it as a demo, so it holds up as a server: it checks the
token and the declared body length before reading a body (framing.py), and closes
connections that send their request too slowly or sit idle, so that no client can
hold its memory or a thread.
"""

from __future__ import annotations

import io
import ipaddress
import socket
import sys
import threading
import time
import traceback
from collections.abc import Callable
from dataclasses import replace
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import TYPE_CHECKING

from cachebust._errors import ConfigError
from cachebust.fake import _framing as framing
from cachebust.fake import _schemas as schemas
from cachebust.fake._core import FakeKoyeb
from cachebust.fake._router import authenticated
from cachebust.fake._wire import ApiError, ApiRequest, ApiResponse

if TYPE_CHECKING:
    from _typeshed import WriteableBuffer

#: Seconds a client has to send a whole request (line, headers and body) and to take
#: in the reply; timed from its first byte, or from the connection for the first one.
REQUEST_TIMEOUT = 10.0
#: Seconds a kept-alive connection may wait for its next request. Above httpx's own
#: 5 s keep-alive expiry, so an httpx client drops an idle connection before the
#: server does, and never sends a request into one the server is closing.
IDLE_TIMEOUT = 15.0


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


class FakeServer:
    """Serves a `FakeKoyeb` over HTTP; use it as a context manager.

    ```python
    with FakeServer(FakeKoyeb(), speed=60) as server:
        print(server.url)  # http://127.0.0.1:43117
    ```

    Parameters:
        fake: the fake organization to serve.
        host: a loopback address unless `allow_non_loopback` is set (the fake
            accepts a well-known token, so other machines must not reach it).
        port: 0 picks a free port.
        speed: simulated seconds per real second while serving; 0 freezes the clock
            (move it with `fake.clock.advance` or `POST /_fake/clock`).
        request_timeout: seconds a client has to send a request and take in its reply.
        idle_timeout: seconds a kept-alive connection may wait for its next request.
    """

    def __init__(
        self,
        fake: FakeKoyeb,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        speed: float = 1.0,
        allow_non_loopback: bool = False,
        request_timeout: float = REQUEST_TIMEOUT,
        idle_timeout: float = IDLE_TIMEOUT,
    ) -> None:
        if not allow_non_loopback and not is_loopback(host):
            raise ConfigError(
                what=f"Refusing to serve the fake Koyeb API on {host}.",
                why="It is not a loopback address, and the fake accepts a well-known token.",
                fix="Use --host 127.0.0.1, or add --allow-non-loopback if other machines"
                " really must reach it.",
            )
        if speed < 0:
            raise ConfigError(
                what=f"Invalid speed {speed}.",
                why="The speed is simulated seconds per real second.",
                fix="Use 0 to freeze the clock, 1 for real time, or more to go faster.",
            )
        if request_timeout <= 0 or idle_timeout <= 0:
            raise ValueError("the request and idle timeouts must be positive")
        self.fake = fake
        self.host, self.port, self.speed = host, port, speed
        self.request_timeout, self.idle_timeout = request_timeout, idle_timeout
        self._httpd: _Server | None = None
        self._thread: threading.Thread | None = None
        self._previous_speed = fake.clock.speed

    @property
    def url(self) -> str:
        """The base URL, e.g. `http://127.0.0.1:43117` (valid once started)."""
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}"

    def start(self) -> FakeServer:
        schemas.require()
        server_class = _Server6 if ":" in self.host else _Server
        try:
            httpd = server_class((self.host, self.port), _Handler)
        except OSError as exc:
            raise ConfigError(
                what=f"Cannot listen on {self.host}:{self.port}.",
                why=f"{exc.strerror or exc}.",
                fix="Choose another --port, or 0 for any free port.",
            ) from exc
        httpd.fake = self.fake
        httpd.request_timeout, httpd.idle_timeout = self.request_timeout, self.idle_timeout
        self.port = httpd.server_address[1]
        self._previous_speed = self.fake.clock.speed
        self.fake.clock.set_speed(self.speed)
        self._httpd = httpd
        self._thread = threading.Thread(
            target=httpd.serve_forever, args=(0.05,), name="fake-koyeb", daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        httpd, thread = self._httpd, self._thread
        if httpd is None or thread is None:
            return
        httpd.shutdown()
        httpd.server_close()
        thread.join()
        self._httpd = self._thread = None
        self.fake.clock.set_speed(self._previous_speed)

    def __enter__(self) -> FakeServer:
        return self.start()

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.stop()


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False
    # http.server's default backlog of 5 resets connections when a few dozen clients
    # connect at once; the kernel caps this at net.core.somaxconn.
    request_queue_size = socket.SOMAXCONN
    fake: FakeKoyeb
    request_timeout: float
    idle_timeout: float


class _Server6(_Server):
    address_family = socket.AF_INET6


class _TimedReads(io.RawIOBase):
    """A connection's reads, all of them over by one deadline.

    A socket timeout bounds each read on its own, which a client sending a byte every
    few seconds (slowloris) never trips; here a read waits only for what is left of
    the time allowed for the whole request, or for the idle wait before it.
    """

    def __init__(self, connection: socket.socket, deadline: float) -> None:
        super().__init__()
        self._connection = connection
        self.deadline = deadline

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: WriteableBuffer) -> int:
        left = self.deadline - time.monotonic()
        if left <= 0:
            raise TimeoutError("the client took too long")
        self._connection.settimeout(left)
        return self._connection.recv_into(buffer)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    # Headers and body are written separately: without TCP_NODELAY every answer
    # waits ~40 ms for the client's delayed ACK.
    disable_nagle_algorithm = True
    server: _Server

    def setup(self) -> None:
        super().setup()
        self.rfile.close()  # replaced by reads that keep to the request's deadline
        self._reads = _TimedReads(self.connection, time.monotonic() + self.server.request_timeout)
        self._buffered = io.BufferedReader(self._reads)
        self.rfile = self._buffered  # typed as a plain BufferedIOBase, which has no peek

    def handle_one_request(self) -> None:
        # http.server closes the connection on a TimeoutError itself; not on a reset.
        try:
            super().handle_one_request()
        except ConnectionError:
            self.close_connection = True
        if not self.close_connection:
            self._await_next_request()

    def _await_next_request(self) -> None:
        """Wait up to the idle timeout for the next request to begin, then time that one."""
        self._reads.deadline = time.monotonic() + self.server.idle_timeout
        try:
            begun = bool(self._buffered.peek(1))
        except (TimeoutError, ConnectionError):
            begun = False
        self.close_connection = not begun
        self._reads.deadline = time.monotonic() + self.server.request_timeout

    def handle_expect_100(self) -> bool:
        """Defer the `100 Continue` that http.server sends at once to `_read_body`.

        A client that waits for it (curl does, for large bodies) then never sends
        a body the fake is about to refuse.
        """
        return True

    def do_GET(self) -> None:
        self._serve()

    do_POST = do_PUT = do_PATCH = do_DELETE = do_GET

    def _serve(self) -> None:
        path, _, query = self.path.partition("?")
        request = ApiRequest.build(self.command, path, query, dict(self.headers.items()), b"")
        try:
            length = framing.body_length(self.headers)
        except ApiError as refusal:
            self._refuse(refusal)
            return
        if not authenticated(request, self.server.fake.token):
            # The fake answers it as any request (journaled, faults apply, the API's 401
            # body) but without its body, which is never read: a stranger's 50 MB upload
            # costs nothing. Left unread, the body makes the connection unusable.
            if length:
                self.close_connection = True
            self._answer(request)
            return
        try:
            framing.check_size(length)
        except ApiError as refusal:
            self._refuse(refusal)
            return
        body = self._read_body(length)
        if body is not None:
            self._answer(replace(request, body=body))

    def _read_body(self, length: int) -> bytes | None:
        """The body, or None when the client went away before sending all of it."""
        if length and self._expects_continue():
            self._write(self._interim_continue)
        body = self.rfile.read(length)
        if len(body) < length:
            self.close_connection = True  # a truncated request is not acted on
            return None
        return body

    def _expects_continue(self) -> bool:
        expect = self.headers.get("Expect", "").lower() == "100-continue"
        return expect and self.request_version != "HTTP/1.0"

    def _interim_continue(self) -> None:
        self.send_response_only(100)
        self.end_headers()

    def _answer(self, request: ApiRequest) -> None:
        try:
            answer = self.server.fake.handle(request)
        except Exception as exc:  # a fake bug: answer 500 and show it, never hang the client
            traceback.print_exc(file=sys.stderr)
            self._send(ApiError(500, f"fake Koyeb API bug: {exc}").response())
            return
        if answer.delay:
            time.sleep(answer.delay)
        if answer.response is None:
            # Acted on, never answered: the connection just closes.
            self.close_connection = True
            return
        self._send(answer.response)

    def _refuse(self, refusal: ApiError) -> None:
        """Answer a request refused before its body was read, and close the connection.

        Its body, unread, would be taken for the next request.
        """
        self.close_connection = True
        self._send(refusal.response())

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        """Errors http.server raises itself (bad request line, unknown method) in JSON too."""
        self._refuse(ApiError(code, message))

    def _send(self, response: ApiResponse) -> None:
        def reply() -> None:
            self.send_response(response.status)
            for name, value in response.headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(response.body)))
            if self.close_connection:
                self.send_header("Connection", "close")
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(response.body)

        self._write(reply)

    def _write(self, write: Callable[[], None]) -> None:
        # The client has request_timeout seconds to take in what it is sent; the reads
        # left the socket's timeout at whatever their deadline had left.
        try:
            self.connection.settimeout(self.server.request_timeout)
            write()
        except OSError:
            self.close_connection = True  # the client gave up waiting (a late answer)

    def log_message(self, format: str, *args: object) -> None:
        """Silent: the journal records requests."""
