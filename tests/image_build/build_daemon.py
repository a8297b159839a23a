"""A throwaway Docker daemon for the image-build proof, set up as ../BUILDER.md records.

Debian's `dockerd` runs without systemd, iptables or a bridge, with all its state in
one temporary folder; Debian's own client (`/usr/bin/docker`, BuildKit through
DOCKER_BUILDKIT=1) talks to it over a socket there. Nothing is pulled: the base image
is imported from the static busybox of `busybox-static`, and builds use
`--network=none`.
"""

from __future__ import annotations

import io
import os
import shutil
import signal
import struct
import subprocess
import tarfile
import time
from pathlib import Path

#: Debian's client: the 28.x client some images put first on PATH refuses BuildKit
#: builds without the buildx plugin.
CLIENT = Path("/usr/bin/docker")
BUSYBOX = Path("/bin/busybox")
#: The local base image every derived Dockerfile builds FROM.
BASE_IMAGE = "cachebust-proof-base:local"
INSTALL = (
    "sudo apt-get install -y docker.io busybox-static "
    "(`make test` installs them itself when run as root)"
)
_SBIN = os.pathsep.join(("/usr/local/sbin", "/usr/sbin", "/sbin"))


def dockerd() -> str | None:
    return shutil.which("dockerd", path=os.environ.get("PATH", "") + os.pathsep + _SBIN)


def skip_reason() -> str | None:
    """Why the proof cannot run here, naming what is missing and how to install it."""
    missing = []
    if dockerd() is None or not CLIENT.is_file():
        missing.append("docker.io (dockerd and /usr/bin/docker)")
    if not is_static_elf(BUSYBOX):
        missing.append("busybox-static (a static /bin/busybox)")
    if missing:
        return f"{' and '.join(missing)} not installed: {INSTALL}"
    if os.geteuid() != 0:
        return f"starting a Docker daemon needs root; run the suite as root after {INSTALL}"
    return None


def is_static_elf(path: Path) -> bool:
    """Whether `path` is a 64-bit little-endian ELF without an interpreter (statically
    linked), so it runs in an image that has no libc."""
    try:
        data = path.read_bytes()
    except OSError:
        return False
    if data[:4] != b"\x7fELF" or data[4] != 2 or data[5] != 1:
        return False
    (phoff,) = struct.unpack_from("<Q", data, 0x20)
    phentsize, phnum = struct.unpack_from("<HH", data, 0x36)
    pt_interp = 3
    return all(
        struct.unpack_from("<I", data, phoff + i * phentsize)[0] != pt_interp for i in range(phnum)
    )


def base_image_tar(busybox: Path = BUSYBOX) -> bytes:
    """A root filesystem of busybox and its applets, for `docker import`."""
    applets = subprocess.run(
        [str(busybox), "--list"], capture_output=True, text=True, check=True
    ).stdout.split()
    out = io.BytesIO()
    with tarfile.open(fileobj=out, mode="w") as tar:
        for folder, mode in (("bin", 0o755), ("tmp", 0o1777)):
            info = tarfile.TarInfo(folder)
            info.type, info.mode = tarfile.DIRTYPE, mode
            tar.addfile(info)
        tar.add(str(busybox), arcname="bin/busybox")
        for applet in applets:
            if applet != "busybox":
                link = tarfile.TarInfo(f"bin/{applet}")
                link.type, link.linkname = tarfile.SYMTYPE, "busybox"
                tar.addfile(link)
    return out.getvalue()


class DockerDaemon:
    """`dockerd` with its data, state, socket and log in `folder`."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.socket = folder / "docker.sock"
        self.log = folder / "dockerd.log"
        self._process: subprocess.Popen[bytes] | None = None

    @property
    def env(self) -> dict[str, str]:
        return {
            **os.environ,
            "DOCKER_HOST": f"unix://{self.socket}",
            "DOCKER_BUILDKIT": "1",
            "DOCKER_CONFIG": str(self.folder / "client"),
        }

    def start(self, timeout: float = 30.0) -> None:
        binary = dockerd()
        assert binary is not None
        config = self.folder / "daemon.json"
        config.write_text("{}\n")  # not /etc/docker/daemon.json: nothing from the host
        with self.log.open("wb") as log:
            self._process = subprocess.Popen(
                [
                    binary,
                    f"--config-file={config}",
                    "--iptables=false",
                    "--ip-masq=false",
                    "--bridge=none",
                    "--storage-driver=vfs",
                    f"--data-root={self.folder / 'data'}",
                    f"--exec-root={self.folder / 'exec'}",
                    f"--pidfile={self.folder / 'docker.pid'}",
                    f"--host=unix://{self.socket}",
                ],
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self._process.poll() is not None:
                raise RuntimeError(
                    f"dockerd exited with {self._process.returncode}:\n{self.tail()}"
                )
            if self.docker("info", check=False).returncode == 0:
                return
            time.sleep(0.1)
        raise RuntimeError(f"dockerd did not answer within {timeout:.0f}s:\n{self.tail()}")

    def docker(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        result = subprocess.run(
            [str(CLIENT), *args],
            env=self.env,
            capture_output=True,
            text=True,
            errors="replace",
            check=False,
            timeout=120,
        )
        if check and result.returncode != 0:
            raise RuntimeError(f"docker {' '.join(args)} failed:\n{result.stdout}{result.stderr}")
        return result

    def stop(self) -> None:
        """Stop the daemon (and the containerd it started), killing it if it lingers."""
        process, self._process = self._process, None
        if process is None or process.poll() is not None:
            return
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=15)

    def tail(self, lines: int = 30) -> str:
        try:
            return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return "(no log)"
