"""The fake as a real HTTP server on a loopback address.

It answers with the same `FakeKoyeb.handle` as the in-process transport, in a
background thread, while the fake's clock follows real time times `speed`.
"""

from __future__ import annotations

import ipaddress
import socket
import sys
import threading
import time
import traceback
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType

from cachebust.errors import ConfigError
from cachebust.fake import schemas
from cachebust.fake.core import FakeKoyeb
from cachebust.fake.wire import ApiError, ApiRequest, ApiResponse


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
    """

    def __init__(
        self,
        fake: FakeKoyeb,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        speed: float = 1.0,
        allow_non_loopback: bool = False,
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
        self.fake = fake
        self.host, self.port, self.speed = host, port, speed
        self._httpd: _Server | None = None
        self._thread: threading.Thread | None = None
        self._previous_speed = fake.clock.speed

    @property
    def url(self) -> str:
        """The base URL, e.g. `http://127.0.0.1:43117` (valid once started)."""
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}"

    def start(self) -> FakeServer:
        # Load koyeb-sdk (seconds) before listening, so no client times out on the first request.
        schemas.model("Error")
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
    fake: FakeKoyeb


class _Server6(_Server):
    address_family = socket.AF_INET6


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    # Headers and body are written separately: without TCP_NODELAY every answer
    # waits ~40 ms for the client's delayed ACK.
    disable_nagle_algorithm = True
    server: _Server

    def do_GET(self) -> None:
        self._serve()

    do_POST = do_PUT = do_PATCH = do_DELETE = do_GET

    def _serve(self) -> None:
        path, _, query = self.path.partition("?")
        length = int(self.headers.get("Content-Length") or 0)
        request = ApiRequest.build(
            self.command, path, query, dict(self.headers.items()), self.rfile.read(length)
        )
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

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        """Errors http.server raises itself (bad request line, unknown method) in JSON too."""
        self.close_connection = True
        self._send(ApiError(code, message).response())

    def _send(self, response: ApiResponse) -> None:
        try:
            self.send_response(response.status)
            for name, value in response.headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(response.body)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(response.body)
        except OSError:
            self.close_connection = True  # the client gave up waiting (a late answer)

    def log_message(self, format: str, *args: object) -> None:
        """Silent: the journal records requests."""
