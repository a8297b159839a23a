"""The session's Docker daemon for the image-build proof: started in a temporary folder,
stopped (and the folder removed) at the end, also when a test fails."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from build_daemon import BASE_IMAGE, DockerDaemon, base_image_tar, skip_reason


@pytest.fixture(scope="session")
def docker_daemon() -> Iterator[DockerDaemon]:
    reason = skip_reason()
    if reason is not None:
        pytest.skip(reason)
    # Under /tmp rather than pytest's deeper tmp_path: a unix socket path must stay
    # under 108 bytes.
    folder = Path(tempfile.mkdtemp(prefix="cachebust-docker-", dir="/tmp"))
    daemon = DockerDaemon(folder)
    try:
        daemon.start()
        tarball = folder / "base.tar"
        tarball.write_bytes(base_image_tar())
        daemon.docker("import", str(tarball), BASE_IMAGE)
        yield daemon
    finally:
        daemon.stop()
        shutil.rmtree(folder, ignore_errors=True)
