"""The HTTP server holds up against careless and hostile clients.

Each test talks raw HTTP over a socket to a real server on 127.0.0.1, so it can send
what httpx never would: a body that never comes, a broken Content-Length, a request
one byte at a time. A server that waited for a body, or for a slow client, would
leave the test's socket waiting until its timeout (WAIT): a generous bound, so no
test measures time.
"""

from __future__ import annotations

import http.client
import json
import select
import socket
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from typing import Any

import httpx
import pytest
from click.testing import CliRunner

from cachebust.cli import root
from cachebust.fake import FakeKoyeb, FakeServer
from cachebust.fake import _schemas as schemas
from cachebust.fake._framing import MAX_BODY
from cachebust.fake._server import IDLE_TIMEOUT, REQUEST_TIMEOUT

#: How long the test's socket waits for the server: far above any timeout it tests.
WAIT = 10.0
#: The server timeouts the slow-client tests use, so they close in well under WAIT.
SHORT = 0.5
FIFTY_MB = 50 * 1024 * 1024


@contextmanager
def connection(server: FakeServer) -> Iterator[socket.socket]:
    with socket.create_connection(("127.0.0.1", server.port), timeout=WAIT) as sock:
        yield sock


def head(method: str, path: str, *headers: str, token: str | None = None) -> bytes:
    lines = [f"{method} {path} HTTP/1.1", "Host: 127.0.0.1", *headers]
    if token is not None:
        lines.append(f"Authorization: Bearer {token}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode()


def reply(sock: socket.socket) -> tuple[int, dict[str, Any]]:
    """The status and JSON body of the next reply on `sock`."""
    response = http.client.HTTPResponse(sock)
    response.begin()
    return response.status, json.loads(response.read())


def closed_by_server(sock: socket.socket) -> bool:
    try:
        return sock.recv(1) == b""
    except ConnectionResetError:  # closed with bytes of ours unread: a reset, still closed
        return True
    except TimeoutError:
        return False


def redeploy_path(fake: FakeKoyeb) -> str:
    return f"/v1/services/{fake.service_id}/redeploy"


@pytest.mark.parametrize("path", ["redeploy", "/_fake/faults"])
def test_an_unauthenticated_body_is_never_read(koyeb_fake_server: FakeServer, path: str) -> None:
    fake = koyeb_fake_server.fake
    path = redeploy_path(fake) if path == "redeploy" else path
    with connection(koyeb_fake_server) as sock:
        # Claims 50 MB and sends 3 bytes: only a server that never reads the body answers.
        sock.sendall(head("POST", path, f"Content-Length: {FIFTY_MB}") + b"abc")
        status, body = reply(sock)
        assert closed_by_server(sock)
    # Journaled as the fake journals any API request (admin ones are not), bodiless.
    journaled = [(entry.status, entry.body) for entry in fake.journal]
    assert journaled == ([(401, None)] if path.startswith("/v1/") else [])
    in_process = httpx.Client(transport=fake.transport, base_url="https://app.koyeb.com")
    assert (status, body) == (401, in_process.post(path, content=b"{}").json())
    assert body["code"] == "authentication_error"


def test_an_unauthenticated_request_without_a_body_keeps_its_connection(
    koyeb_fake_server: FakeServer,
) -> None:
    token = koyeb_fake_server.fake.token
    with connection(koyeb_fake_server) as sock:
        sock.sendall(head("GET", "/v1/apps"))
        assert reply(sock)[0] == 401
        sock.sendall(head("GET", "/v1/apps", token=token))
        assert reply(sock)[0] == 200


def test_a_body_over_the_cap_is_refused_unread(koyeb_fake_server: FakeServer) -> None:
    fake = koyeb_fake_server.fake
    with connection(koyeb_fake_server) as sock:
        claim = f"Content-Length: {MAX_BODY + 1}"
        sock.sendall(head("POST", redeploy_path(fake), claim, token=fake.token) + b"{}")
        status, body = reply(sock)
        assert closed_by_server(sock)
    assert status == 413 and body["code"] == 8 and str(MAX_BODY) in body["message"]
    schemas.check_reply("GoogleRpcStatus", body)
    assert len(fake.journal) == 0  # refused before the fake saw it: no redeploy


def test_a_body_of_exactly_the_cap_is_read_and_acted_on(koyeb_fake_server: FakeServer) -> None:
    fake = koyeb_fake_server.fake
    padded = b"{}".ljust(MAX_BODY)  # whitespace after the JSON object
    with httpx.Client(base_url=koyeb_fake_server.url, timeout=WAIT) as http:
        headers = {"Authorization": f"Bearer {fake.token}"}
        response = http.post(redeploy_path(fake), content=padded, headers=headers)
    assert response.status_code == 200, response.text
    assert [entry.status for entry in fake.journal] == [200]


@pytest.mark.parametrize(
    "lengths",
    [
        ["-1"],
        ["abc"],
        ["99999999999999999999"],
        ["9" * 5000],  # more digits than int() takes from a string
        ["+5"],
        ["0x10"],
        [""],
        ["2, 3"],
        ["2", "3"],
    ],
)
def test_a_bad_content_length_is_a_400(
    koyeb_fake_server: FakeServer, capfd: pytest.CaptureFixture[str], lengths: list[str]
) -> None:
    fake = koyeb_fake_server.fake
    claims = [f"Content-Length: {value}" for value in lengths]
    with connection(koyeb_fake_server) as sock:
        sock.sendall(head("POST", redeploy_path(fake), *claims, token=fake.token) + b"{}")
        status, body = reply(sock)
        assert closed_by_server(sock)
    assert status == 400 and body["status"] == 400 and body["code"] == "invalid_argument"
    schemas.check_reply("ErrorWithFields", body)
    assert len(fake.journal) == 0
    assert "Traceback" not in capfd.readouterr().err


def test_repeated_equal_content_lengths_are_one_length(koyeb_fake_server: FakeServer) -> None:
    fake = koyeb_fake_server.fake
    with connection(koyeb_fake_server) as sock:
        claims = ("Content-Length: 2, 2", "Content-Length: 2")
        sock.sendall(head("POST", redeploy_path(fake), *claims, token=fake.token) + b"{}")
        assert reply(sock)[0] == 200


def test_a_chunked_body_is_a_411(koyeb_fake_server: FakeServer) -> None:
    fake = koyeb_fake_server.fake
    with connection(koyeb_fake_server) as sock:
        chunked = head("POST", redeploy_path(fake), "Transfer-Encoding: chunked", token=fake.token)
        sock.sendall(chunked + b"2\r\n{}\r\n0\r\n\r\n")
        status, body = reply(sock)
        assert closed_by_server(sock)
    assert status == 411 and body["code"] == 3 and "Content-Length" in body["message"]
    schemas.check_reply("GoogleRpcStatus", body)
    assert len(fake.journal) == 0


def test_100_continue_is_sent_only_to_a_request_that_passed_the_checks(
    koyeb_fake_server: FakeServer,
) -> None:
    fake = koyeb_fake_server.fake
    expect = ("Expect: 100-continue", "Content-Length: 2")
    with connection(koyeb_fake_server) as sock:
        sock.sendall(head("POST", redeploy_path(fake), *expect))
        assert reply(sock)[0] == 401  # no "100 Continue" first: the body is not wanted
    with connection(koyeb_fake_server) as sock:
        sock.sendall(head("POST", redeploy_path(fake), *expect, token=fake.token))
        assert sock.recv(1024) == b"HTTP/1.1 100 Continue\r\n\r\n"
        sock.sendall(b"{}")
        assert reply(sock)[0] == 200


@pytest.fixture
def impatient_server(koyeb_fake: FakeKoyeb) -> Iterator[FakeServer]:
    with FakeServer(koyeb_fake, speed=0, request_timeout=SHORT, idle_timeout=SHORT) as server:
        yield server


@pytest.mark.parametrize("timeouts", [{"request_timeout": 0}, {"idle_timeout": -1}])
def test_timeouts_must_be_positive(koyeb_fake: FakeKoyeb, timeouts: dict[str, float]) -> None:
    with pytest.raises(ValueError, match="must be positive"):
        FakeServer(koyeb_fake, **timeouts)


def test_a_connection_that_sends_nothing_is_closed(impatient_server: FakeServer) -> None:
    with connection(impatient_server) as sock:
        assert closed_by_server(sock)


def test_a_request_sent_a_byte_at_a_time_is_cut_off(impatient_server: FakeServer) -> None:
    # Each byte comes well within the timeout, so only a deadline for the whole request
    # stops it; sent in full it would take 20 times that deadline.
    request = head("GET", "/v1/apps", "X-Padding: " + "x" * 200)
    with connection(impatient_server) as sock:
        for byte in request:
            readable, _, _ = select.select([sock], [], [], 0)
            if readable:
                break
            try:
                sock.sendall(bytes([byte]))
            except (BrokenPipeError, ConnectionResetError):
                break
            time.sleep(SHORT / 10)
        else:
            pytest.fail("the server let the whole slow request in")
        assert closed_by_server(sock)


def test_a_request_body_that_stalls_is_cut_off(impatient_server: FakeServer) -> None:
    fake = impatient_server.fake
    with connection(impatient_server) as sock:
        sock.sendall(head("POST", redeploy_path(fake), "Content-Length: 2", token=fake.token))
        sock.sendall(b"{")
        assert closed_by_server(sock)
    assert len(fake.journal) == 0  # a truncated request is not acted on


def test_an_idle_kept_alive_connection_is_closed(impatient_server: FakeServer) -> None:
    with connection(impatient_server) as sock:
        sock.sendall(head("GET", "/v1/apps", token=impatient_server.fake.token))
        assert reply(sock)[0] == 200
        assert closed_by_server(sock)


def test_a_reply_the_fake_delays_past_the_timeouts_still_arrives(
    impatient_server: FakeServer,
) -> None:
    fake = impatient_server.fake
    fake.inject("GET", "/v1/apps", delay=SHORT * 3)
    with connection(impatient_server) as sock:
        sock.sendall(head("GET", "/v1/apps", token=fake.token))
        assert reply(sock)[0] == 200
        sock.sendall(head("GET", "/v1/apps", token=fake.token))  # and the connection lives on
        assert reply(sock)[0] == 200


CLIENTS = 200


def test_many_clients_connecting_at_once_are_all_answered(
    koyeb_fake_server: FakeServer,
) -> None:
    token = koyeb_fake_server.fake.token
    together = threading.Barrier(CLIENTS)

    def client(_: int) -> int:
        together.wait(timeout=WAIT)
        with connection(koyeb_fake_server) as sock:
            sock.sendall(head("GET", "/v1/apps", "Connection: close", token=token))
            return reply(sock)[0]

    with ThreadPoolExecutor(max_workers=CLIENTS) as pool:
        statuses = list(pool.map(client, range(CLIENTS)))  # a reset raises here
    assert statuses == [200] * CLIENTS


def test_fake_api_help_states_the_limits() -> None:
    shown = " ".join(CliRunner().invoke(root, ["fake-api", "--help"]).output.split())
    assert f"over {MAX_BODY // 2**20} MiB are refused (413)" in shown
    assert f"over {REQUEST_TIMEOUT:g} s to send a request" in shown
    assert f"idle for {IDLE_TIMEOUT:g} s" in shown
