"""pytest fixtures for the fake Koyeb API (registered as the `cachebust_fake` plugin).

- `koyeb_fake`: an in-process `FakeKoyeb`; talk to it through `koyeb_fake.transport`.
- `koyeb_fake_server`: a running `FakeServer` on 127.0.0.1 (`.url`, `.fake`), its
  clock frozen unless the test says otherwise.

Options come from a marker, e.g. `@pytest.mark.koyeb_fake(speed=60, token="t", seed=1)`;
`assumptions={"list-order": "oldest-first"}` flips the fake's switches, and `head_sha`
sets the commit its deployments run (default: the checkout's HEAD), and
`services=["my-app/worker"]` seeds more services (a test adds more with
`fake.add_service("my-app/cron")`).
Both fixtures fail the test if the fake produced a reply that broke the koyeb-sdk contract.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import pytest

from cachebust import _config as config

if TYPE_CHECKING:
    # Imported when a fixture is used, so loading the plugin costs every pytest run nothing.
    from cachebust.fake._core import FakeKoyeb
    from cachebust.fake._server import FakeServer

_OPTIONS = ("speed", "token", "seed", "assumptions", "head_sha", "services")


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "koyeb_fake(speed=0, token='fake-koyeb-token', seed=0, assumptions={}, head_sha=None,"
        " services=[]):"
        " options of the koyeb_fake and koyeb_fake_server fixtures",
    )


def _options(request: pytest.FixtureRequest) -> dict[str, Any]:
    marker = request.node.get_closest_marker("koyeb_fake")
    options = dict(marker.kwargs) if marker else {}
    unknown = set(options) - set(_OPTIONS)
    if unknown:
        raise pytest.UsageError(f"koyeb_fake marker: unknown options {sorted(unknown)}")
    return options


def _fake(request: pytest.FixtureRequest, options: dict[str, Any]) -> FakeKoyeb:
    from cachebust.fake._core import FakeKoyeb

    settings = config.load(request.config.rootpath)
    kwargs = {key: options[key] for key in _OPTIONS[1:] if key in options}
    return FakeKoyeb(settings=settings, **kwargs)


def _check_contract(fake: FakeKoyeb) -> None:
    if fake.contract_violations:
        pytest.fail(
            "the fake Koyeb API sent replies that break the koyeb-sdk contract:\n"
            + "\n".join(str(violation) for violation in fake.contract_violations)
        )


@pytest.fixture
def koyeb_fake(request: pytest.FixtureRequest) -> Iterator[FakeKoyeb]:
    fake = _fake(request, _options(request))
    yield fake
    _check_contract(fake)


@pytest.fixture
def koyeb_fake_server(request: pytest.FixtureRequest) -> Iterator[FakeServer]:
    from cachebust.fake._server import FakeServer

    options = _options(request)
    fake = _fake(request, options)
    with FakeServer(fake, speed=float(options.get("speed", 0.0))) as server:
        yield server
    _check_contract(fake)
