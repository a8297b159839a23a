"""The organization a new fake starts with, and what importing the package costs."""

from __future__ import annotations

import subprocess
import sys

import httpx

from cachebust.fake import FakeKoyeb


def test_seeded_from_the_configuration(koyeb_fake: FakeKoyeb, api: httpx.Client) -> None:
    settings = koyeb_fake.settings
    apps = api.get("/v1/apps").json()["apps"]
    assert sorted(a["name"] for a in apps) == [settings.app, f"{settings.app}-staging"]
    service = koyeb_fake.service()
    assert service["name"] == settings.service and service["app_id"] == koyeb_fake.app_id
    active = koyeb_fake.deployment(service["active_deployment_id"])
    assert active["status"] == "HEALTHY"
    git = active["definition"]["git"]
    assert f"{git['workdir']}/{git['docker']['dockerfile']}" == settings.dockerfile
    assert active["provisioning_info"]["sha"] and active["skip_build"] is False


def test_the_same_seed_gives_the_same_ids(koyeb_fake: FakeKoyeb) -> None:
    again = FakeKoyeb(settings=koyeb_fake.settings, clock=koyeb_fake.clock)
    assert (again.app_id, again.service_id) == (koyeb_fake.app_id, koyeb_fake.service_id)
    other = FakeKoyeb(settings=koyeb_fake.settings, seed=1)
    assert other.app_id != koyeb_fake.app_id


def test_importing_the_package_loads_neither_the_sdk_nor_pydantic() -> None:
    code = (
        "import sys, cachebust.fake, cachebust.cli._fake_api;"
        "print(sorted(m for m in ('koyeb', 'pydantic', 'httpx') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
