"""Fixtures shared by every part of the suite."""

from __future__ import annotations

import fcntl
import os
import signal
from collections.abc import Callable, Mapping
from pathlib import Path

import pytest

from guidetools.builders import build, copy_project

REPO = Path(__file__).resolve().parent.parent

#: build_site(builder, edit=None, env=None) -> the site's directory. See `build_site`.
BuildSite = Callable[..., Path]


def pytest_xdist_auto_num_workers(config: pytest.Config) -> int:
    """How many workers `-n auto` (the suite's default, pyproject.toml) starts: one and a
    half per core. The tests wait at times (on fake clocks run at a set speed, on
    subprocesses, on Chromium), so a third worker on two cores keeps both busy: 139 s
    instead of 179 s for the whole suite (1214 tests) on this project's 2-core machines,
    measured one after the other."""
    usable = os.sched_getaffinity(0) if hasattr(os, "sched_getaffinity") else None
    cores = len(usable) if usable is not None else (os.cpu_count() or 1)
    return max(1, cores * 3 // 2)


def pytest_configure(config: pytest.Config) -> None:
    """Ctrl-C reaches the commands the tests start, however the suite itself was started.

    A shell without job control starts a background job (`make test &` in a script)
    with SIGINT ignored, which every process it starts inherits: the tests that press
    Ctrl-C on a command would then wait for ever on one that never hears it. A Python
    handler, unlike an ignored signal, is not inherited across exec: the commands start
    with Python's own. Runs in the controller and in each xdist worker."""
    if signal.getsignal(signal.SIGINT) is signal.SIG_IGN:
        signal.signal(signal.SIGINT, signal.default_int_handler)


@pytest.fixture(scope="session")
def repo_root() -> Path:
    return REPO


@pytest.fixture(scope="session")
def build_site(tmp_path_factory: pytest.TempPathFactory) -> BuildSite:
    """Build a copy of the checkout strictly with one builder (`mkdocs`, `zensical`);
    `edit`, if given, changes the copy first (it gets the copy's root); `env` adds to
    the build's environment."""

    def build_copy(
        builder: str,
        edit: Callable[[Path], object] | None = None,
        env: Mapping[str, str] | None = None,
    ) -> Path:
        project = copy_project(REPO, tmp_path_factory.mktemp(builder) / "project")
        if edit is not None:
            edit(project)
        done = build(builder, project, env=env)
        assert done.returncode == 0, f"{builder} build --strict failed:\n{done.stderr}"
        return project / "site"

    return build_copy


def _built_once(builder: str, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The guide built by `builder` once for the whole run, however many xdist workers
    ask: the first builds under a lock in the run's shared temporary folder, the others
    wait for it and read the same site (no test writes into it)."""
    run_folder = tmp_path_factory.getbasetemp()
    if "PYTEST_XDIST_WORKER" in os.environ:
        run_folder = run_folder.parent  # the run's folder, above each worker's own
    shared = run_folder / f"site-{builder}"
    shared.mkdir(exist_ok=True)
    failed = shared / "failed"
    with (shared / "lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (shared / "project").exists():
            project = copy_project(REPO, shared / "project")
            done = build(builder, project)
            if done.returncode != 0:
                failed.write_text(done.stderr, encoding="utf-8")
    assert not failed.exists(), f"{builder} build --strict failed:\n{failed.read_text()}"
    return shared / "project" / "site"


@pytest.fixture(scope="session")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The guide built once per run with `mkdocs build --strict`: the reference."""
    return _built_once("mkdocs", tmp_path_factory)


@pytest.fixture(scope="session")
def built_zensical_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The guide built once per run with `zensical build --clean --strict`."""
    return _built_once("zensical", tmp_path_factory)
