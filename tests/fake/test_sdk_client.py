"""The koyeb-sdk package's own generated client, pointed at the fake over HTTP."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest

from cachebust.fake import FakeServer

# The SDK's client takes seconds to import and every xdist worker collects this module,
# so the tests import it when they run.
if TYPE_CHECKING:
    from koyeb.api import ApiClient


def _client(server: FakeServer, token: str) -> ApiClient:
    from koyeb.api import ApiClient, Configuration

    configuration = Configuration(
        host=server.url, api_key={"Bearer": token}, api_key_prefix={"Bearer": "Bearer"}
    )
    return ApiClient(configuration)


@pytest.fixture
def sdk(koyeb_fake_server: FakeServer) -> Iterator[ApiClient]:
    with _client(koyeb_fake_server, koyeb_fake_server.fake.token) as client:
        yield client


def test_sdk_lists_gets_redeploys_and_reads_logs(
    koyeb_fake_server: FakeServer, sdk: ApiClient
) -> None:
    from koyeb.api.api import AppsApi, DeploymentsApi, LogsApi, ProfileApi, ServicesApi
    from koyeb.api.models import RedeployRequestInfo

    fake = koyeb_fake_server.fake
    settings = fake.settings

    apps = AppsApi(sdk).list_apps(name=settings.app)
    assert {app.name for app in apps.apps or []} >= {settings.app}
    app_id = next(app.id for app in apps.apps or [] if app.name == settings.app)
    assert app_id == fake.app_id

    services = ServicesApi(sdk).list_services(app_id=app_id)
    assert services.count == 1
    assert [s.name for s in services.services or []] == [settings.service]

    service = ServicesApi(sdk).get_service(fake.service_id).service
    assert service is not None
    previous = service.active_deployment_id

    reply = ServicesApi(sdk).re_deploy(fake.service_id, RedeployRequestInfo(use_cache=False))
    new = reply.deployment
    assert new is not None and new.id and new.id != previous
    assert new.status is not None and new.status.value == "PENDING"

    fake.clock.advance(300)
    deployment = DeploymentsApi(sdk).get_deployment(new.id).deployment
    assert deployment is not None and deployment.status is not None
    assert deployment.status.value == "HEALTHY"
    assert deployment.definition is not None and deployment.definition.git is not None

    logs = LogsApi(sdk).query_logs(type="build", deployment_id=new.id, order="asc")
    messages = [entry.msg for entry in logs.data or []]
    assert messages[0].startswith("#0 building")
    assert not any(message.endswith(" CACHED") for message in messages)
    assert logs.pagination is not None and logs.pagination.has_more is False

    user = ProfileApi(sdk).get_current_user().user
    assert user is not None and user.email


def test_sdk_gets_typed_errors(koyeb_fake_server: FakeServer, sdk: ApiClient) -> None:
    from koyeb.api.api import AppsApi, LogsApi, ServicesApi
    from koyeb.api.exceptions import BadRequestException, NotFoundException, UnauthorizedException

    bad = _client(koyeb_fake_server, "not-the-token")
    with bad, pytest.raises(UnauthorizedException) as unauthorized:
        AppsApi(bad).list_apps()
    assert unauthorized.value.status == 401
    assert unauthorized.value.data is not None
    assert unauthorized.value.data.code == "authentication_error"

    with pytest.raises(NotFoundException) as missing:
        ServicesApi(sdk).get_service("00000000-0000-4000-8000-000000000000")
    assert missing.value.data is not None and missing.value.data.code == "unknown_resource"

    with pytest.raises(BadRequestException) as bad_request:
        LogsApi(sdk).query_logs(regex="x", text="y", service_id=koyeb_fake_server.fake.service_id)
    assert bad_request.value.data is not None and bad_request.value.data.fields
