"""What checking one project's guide needs, built once per test session.

`Guide` holds, for one project root: its `[tool.cachebust]` settings, the site's
macro renderer, the linters, and the fake Koyeb API. Console blocks run in bash
against one loopback `FakeServer`, seeded from that root's settings and started the
first time a block needs it, at `SPEED` simulated seconds per second, so the fake's
three-minute deployment takes about a second; `CACHEBUST_SPEED` makes cachebust's own
polls keep pace (what it prints is the same). Every block leaves the service as the
fake's seed starts it (HEALTHY, latest deployment built without the cache), so blocks
and pages also pass when run on their own.
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from cachebust._config import Settings, load
from guidetools.bless import Rewrite
from guidetools.lint import BIN, LintCache
from guidetools.render import Renderer
from guidetools.session import Shell

if TYPE_CHECKING:  # cachebust.fake's names are lazy (Any to mypy): its modules give types
    from cachebust.fake._core import FakeKoyeb
    from cachebust.fake._server import FakeServer

#: Simulated seconds per real second: the fake's ~3-minute deployment in about a second.
SPEED = 200.0


@dataclass
class Koyeb:
    """A running fake Koyeb API on loopback."""

    fake: FakeKoyeb
    server: FakeServer

    @property
    def url(self) -> str:
        return self.server.url


def start_fake(settings: Settings) -> Koyeb:
    """A fake Koyeb API seeded from `settings`, served on 127.0.0.1 at `SPEED`."""
    from cachebust.fake import FakeKoyeb, FakeServer

    fake = FakeKoyeb(settings=settings)
    return Koyeb(fake, FakeServer(fake, speed=SPEED).start())


@dataclass
class Guide:
    """What checking one project's guide needs; built once per test session."""

    root: Path
    #: Directories put before the venv's on a session's PATH (tests swap a CLI in).
    path: tuple[str, ...] = ()
    #: Extra environment variables of a session.
    env: dict[str, str] = field(default_factory=dict)
    #: In bless mode (`--update-docs`), the new expected output found so far; else None.
    rewrites: list[Rewrite] | None = None
    _koyeb: Koyeb | None = None
    _home: tempfile.TemporaryDirectory[str] | None = None

    @cached_property
    def settings(self) -> Settings:
        return load(self.root)

    @cached_property
    def renderer(self) -> Renderer:
        return Renderer(self.root)

    @cached_property
    def lints(self) -> LintCache:
        return LintCache(self.root)

    def koyeb(self) -> Koyeb:
        """The fake, seeded from this project's settings, started on first use."""
        if self._koyeb is None:
            self._koyeb = start_fake(self.settings)
        return self._koyeb

    def home(self) -> Path:
        """An empty HOME, so no `~/.koyeb.yaml` of the machine's user is read."""
        if self._home is None:
            self._home = tempfile.TemporaryDirectory(prefix="docs-home-")
        return Path(self._home.name)

    def shell(self) -> Shell:
        """A reader's shell in the project root: `cachebust` on PATH (as after `make
        install`), the token and the API URL in the environment, nothing else of this
        machine's environment."""
        koyeb = self.koyeb()
        search = [*self.path, str(BIN), os.environ.get("PATH", os.defpath)]
        variables = {
            "PATH": os.pathsep.join(search),
            "HOME": str(self.home()),
            "LANG": "C.UTF-8",
            "LC_ALL": "C.UTF-8",
            "TERM": "dumb",
            "NO_COLOR": "1",
            "KOYEB_URL": koyeb.url,
            "KOYEB_TOKEN": koyeb.fake.token,
            "CACHEBUST_SPEED": str(SPEED),
            **self.env,
        }
        replacements = ((koyeb.url, self.settings.api_url),)
        return Shell(self.root, variables, replacements, secrets=(koyeb.fake.token,))

    def close(self) -> None:
        if self._koyeb is not None:
            self._koyeb.server.stop()
            self._koyeb = None
        if self._home is not None:
            self._home.cleanup()
            self._home = None
