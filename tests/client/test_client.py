"""The client against the fake Koyeb API: resolution, redeploy, errors, retries, logs."""

from __future__ import annotations

import socket
import ssl
from collections.abc import Callable
from datetime import timedelta

import httpx
import pytest

from cachebust._api_errors import error_from_transport
from cachebust._client import Client
from cachebust._errors import (
    ConfigError,
    ExitCode,
    InvalidRequest,
    InvalidTarget,
    InvalidToken,
    NetworkError,
    NotAllowed,
    NotFound,
    RateLimited,
    ServerError,
    TokenRejected,
)
from cachebust.fake import FakeClock, FakeKoyeb

REDEPLOY = "/v1/services/*/redeploy"


def test_resolves_with_filtered_queries_and_an_exact_match(fake: FakeKoyeb, client: Client) -> None:
    target = client.resolve_service(fake.settings.target)
    assert (target.app_id, target.service_id) == (fake.app_id, fake.service_id)
    assert target.slug == fake.settings.target
    queries = [(e.path, e.query) for e in fake.journal]
    # The seed's decoy app "<app>-staging" also matches the API's substring filter.
    assert queries[0][0] == "/v1/apps" and queries[0][1]["name"] == [fake.settings.app]
    assert queries[1][0] == "/v1/services"
    assert queries[1][1]["app_id"] == [fake.app_id]
    assert queries[1][1]["name"] == [fake.settings.service]
    assert len(queries) == 2


def test_resolves_a_service_id_and_an_app_id(fake: FakeKoyeb, client: Client) -> None:
    assert client.resolve_service(fake.service_id).slug == fake.settings.target
    by_app_id = client.resolve_service(f"{fake.app_id}/{fake.settings.service}")
    assert by_app_id.service_id == fake.service_id


@pytest.mark.parametrize(
    ("name", "said"), [("no-such-app/api", "No app named"), ("{app}/no-such-svc", "No service")]
)
def test_unknown_names_are_not_found(fake: FakeKoyeb, client: Client, name: str, said: str) -> None:
    with pytest.raises(NotFound) as caught:
        client.resolve_service(name.format(app=fake.settings.app))
    assert caught.value.what.startswith(said)
    assert caught.value.exit_code == ExitCode.NOT_FOUND
    assert "koyeb service list" in caught.value.fix


def test_malformed_name_sends_nothing(fake: FakeKoyeb, client: Client) -> None:
    with pytest.raises(InvalidTarget):
        client.resolve_service("just-a-service")
    assert len(fake.journal) == 0


def test_unknown_service_id_is_not_found(client: Client) -> None:
    with pytest.raises(NotFound) as caught:
        client.resolve_service("0b6f4c1e-2d3a-4b5c-8d7e-9f0a1b2c3d4e")
    assert caught.value.status == 404


def test_429_waits_for_retry_after_then_succeeds(fake: FakeKoyeb, client: Client) -> None:
    fake.inject("GET", "/v1/apps", status=429, retry_after=7)
    before = fake.clock.monotonic()
    client.check_token()
    assert fake.clock.monotonic() - before >= 7
    assert [e.status for e in fake.journal] == [429, 200]


def test_long_retry_after_is_reported_not_waited(fake: FakeKoyeb, client: Client) -> None:
    fake.inject("GET", "/v1/apps", status=429, retry_after=3600)
    with pytest.raises(RateLimited) as caught:
        client.check_token()
    assert caught.value.retry_after == 3600 and "3600 seconds" in caught.value.fix


@pytest.mark.parametrize("status", [502, 503, 504])
def test_gateway_errors_are_retried(fake: FakeKoyeb, client: Client, status: int) -> None:
    fake.inject("GET", "/v1/services/*", status=status, times=2)
    assert client.get_service(fake.service_id).id == fake.service_id


def test_reads_are_retried_after_a_drop_or_garbled_body(fake: FakeKoyeb, client: Client) -> None:
    fake.inject("GET", "/v1/services/*", drop=True)
    fake.inject("GET", "/v1/services/*", malformed=True)
    assert client.get_service(fake.service_id).id == fake.service_id


def test_retries_give_up(fake: FakeKoyeb, client: Client) -> None:
    fake.inject("GET", "/v1/services/*", status=503, times=10)
    with pytest.raises(ServerError) as caught:
        client.get_service(fake.service_id)
    assert "HTTP 503" in caught.value.why


def test_rejected_token(connect: Callable[..., Client]) -> None:
    with connect(token="not-the-token") as client, pytest.raises(TokenRejected) as caught:
        client.check_token()
    error = caught.value
    assert error.exit_code == ExitCode.AUTH and error.status == 401
    assert "not-the-token" not in str(error)
    assert "KOYEB_TOKEN" in error.fix


def test_forbidden(fake: FakeKoyeb, client: Client) -> None:
    fake.inject("POST", REDEPLOY, status=403)
    with pytest.raises(NotAllowed) as caught:
        client.redeploy(fake.service_id)
    assert caught.value.exit_code == ExitCode.AUTH
    assert caught.value.what == "The token is not allowed to redeploy the service."


def test_invalid_request_carries_the_fields(fake: FakeKoyeb, client: Client) -> None:
    now = fake.clock.now()
    with pytest.raises(InvalidRequest) as caught:
        list(client.query_logs(service_id=fake.service_id, start=now, end=now - timedelta(hours=1)))
    error = caught.value
    assert error.status == 400 and error.exit_code == ExitCode.USAGE
    assert error.fields == [{"field": "start", "description": "must be before end"}]
    assert "start: must be before end." in error.why


def test_unreachable_api() -> None:
    with socket.socket() as sock:  # a loopback port nothing listens on
        sock.bind(("127.0.0.1", 0))
        url = f"http://127.0.0.1:{sock.getsockname()[1]}"
    clock = FakeClock()
    with Client("t", base_url=url, clock=clock) as client, pytest.raises(NetworkError) as caught:
        client.check_token()
    assert caught.value.what == f"Cannot reach the Koyeb API at {url}."
    assert "KOYEB_URL" in caught.value.fix and not caught.value.sent
    assert clock.monotonic() > 0  # backed off between the tries, on the fake clock


def test_lists_follow_pages(fake: FakeKoyeb, client: Client) -> None:
    for _ in range(3):
        client.redeploy(fake.service_id)
    deployments = client.list_deployments(fake.service_id)
    assert len(deployments) == 6
    times = [d.created_at for d in deployments]
    assert times == sorted(times, reverse=True)  # type: ignore[type-var]
    assert [d.id for d in client.list_deployments(fake.service_id, limit=2)] == [
        d.id for d in deployments[:2]
    ]
    assert {a.name for a in client.list_apps()} >= {fake.settings.app}


def test_cancel(fake: FakeKoyeb, client: Client) -> None:
    deployment = client.redeploy(fake.service_id)
    fake.clock.advance(10)
    client.cancel_deployment(deployment.id)
    fake.clock.advance(60)
    assert client.get_deployment(deployment.id).status == "CANCELED"


def test_build_logs_follow_pagination(fake: FakeKoyeb, client: Client) -> None:
    deployment = client.redeploy(fake.service_id)
    client.wait(deployment.id)
    kwargs = {"type": "build", "deployment_id": deployment.id, "start": deployment.created_at}
    whole = [e.msg for e in client.query_logs(**kwargs)]  # type: ignore[arg-type]
    paged = [e.msg for e in client.query_logs(limit=5, **kwargs)]  # type: ignore[arg-type]
    assert paged == whole and len(whole) > 5
    pages = [e for e in fake.journal if e.path == "/v1/streams/logs/query"]
    assert len(pages) > 2
    assert not any(line.endswith(" CACHED") for line in whole)  # use_cache false: no cache


def test_repr_hides_the_token(fake: FakeKoyeb, client: Client) -> None:
    assert fake.token not in repr(client) and "***" in repr(client)


@pytest.mark.parametrize(
    "token", ["s3cr3t\nvalue", "s3cr3t\rvalue", "s3cr3tävalue", "s3cr3t value"]
)
def test_a_token_no_header_can_carry_is_refused_before_any_request(
    fake: FakeKoyeb, connect: Callable[..., Client], token: str
) -> None:
    with pytest.raises(InvalidToken) as caught:
        connect(token=token)
    error = caught.value
    assert error.what == "The token given to Client is not a usable API token."
    assert "at position 7" in error.why
    assert "s3cr" not in str(error) and "valu" not in str(error)
    assert len(fake.journal) == 0


def test_a_base_url_httpx_cannot_use_is_refused(fake: FakeKoyeb) -> None:
    with pytest.raises(ConfigError) as caught:
        Client(fake.token, base_url="http://[::1", transport=fake.transport)
    assert caught.value.what == "The base_url given to Client is not a usable API URL."


def test_transport_errors_never_quote_the_request() -> None:
    # A real LocalProtocolError: h11 refuses the header before sending, and httpx's
    # message quotes it whole.
    with socket.create_server(("127.0.0.1", 0)) as listening:
        url = f"http://127.0.0.1:{listening.getsockname()[1]}"
        with httpx.Client() as http, pytest.raises(httpx.LocalProtocolError) as raised:
            http.get(url, headers={"Authorization": "Bearer s3cr3t\nvalue"})
    assert "s3cr3t" in str(raised.value)  # what there was to hide
    error = error_from_transport(raised.value, action="list apps", base_url=url, timeout=30)
    assert "s3cr3t" not in str(error) and "Bearer" not in str(error)
    assert error.why == "While trying to list apps, the request could not be formed."


@pytest.mark.parametrize(
    ("base_url", "trusts_the_cas"),
    [("https://app.koyeb.com", True), ("http://127.0.0.1:9", False)],
    ids=["https", "http"],
)
def test_only_an_https_api_loads_the_ca_bundle(base_url: str, trusts_the_cas: bool) -> None:
    with Client("t0ken", base_url=base_url) as client:
        context = client._http._transport._pool._ssl_context  # type: ignore[attr-defined]
    assert context.verify_mode == ssl.CERT_REQUIRED and context.check_hostname
    assert (context.cert_store_stats()["x509_ca"] > 0) is trusts_the_cas
