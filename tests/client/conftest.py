"""A library client talking in-process to the fake Koyeb API, on the fake's clock."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest

from cachebust._client import Client
from cachebust.fake import FakeKoyeb

#: Never contacted: requests go to the fake's transport. A closed loopback port, so a
#: test that lost its transport fails here instead of reaching the internet.
NOWHERE = "http://127.0.0.1:9"


@pytest.fixture
def fake(repo_root: object) -> Iterator[FakeKoyeb]:
    fake = FakeKoyeb()
    yield fake
    assert not fake.contract_violations, fake.contract_violations


@pytest.fixture
def client(fake: FakeKoyeb) -> Iterator[Client]:
    with Client(fake.token, base_url=NOWHERE, transport=fake.transport, clock=fake.clock) as c:
        yield c


@pytest.fixture
def connect(fake: FakeKoyeb) -> Callable[..., Client]:
    """Another client of the same fake, with other settings: `connect(token="x", timeout=1)`."""

    def make(**options: Any) -> Client:
        defaults = {
            "token": fake.token,
            "base_url": NOWHERE,
            "transport": fake.transport,
            "clock": fake.clock,
        }
        return Client(**{**defaults, **options})

    return make
