"""`make install` runs exactly the packages we pinned: every file of the lock checked
against its hash by uv, which pip bootstraps from a hash-pinned requirements file.

The deploy job's action (action.yml) installs from requirements/action.txt with hashes
required too, and then holds KOYEB_TOKEN, so a package that does not match its hash must
be refused, not installed (tests/action checks the action's files and flags). These
tests stay on this machine: the refused package is a wheel built here, installed from a
local folder.
"""

from __future__ import annotations

import hashlib
import re
import subprocess
import sys
from pathlib import Path

import pytest

BIN = Path(sys.executable).parent
_PIN = re.compile(r"^(?P<name>[A-Za-z0-9_.-]+)==(?P<version>\S+)", re.MULTILINE)


def _pins(path: Path) -> dict[str, str]:
    return {m["name"].lower(): m["version"] for m in _PIN.finditer(path.read_text())}


def test_every_pin_of_the_lock_has_hashes(repo_root: Path) -> None:
    text = (repo_root / "requirements/lock.txt").read_text()
    blocks = re.split(r"\n(?=[A-Za-z0-9_.-]+==)", text.split("\n", 2)[-1])
    pinned = [block for block in blocks if _PIN.match(block)]
    assert pinned, "no pins found"
    unhashed = [block.split()[0] for block in pinned if "--hash=sha256:" not in block]
    assert unhashed == []


def test_the_bootstrapped_uv_is_the_locked_one(repo_root: Path) -> None:
    bootstrap = _pins(repo_root / "requirements/uv.txt")
    assert list(bootstrap) == ["uv"]
    assert _pins(repo_root / "requirements/lock.txt")["uv"] == bootstrap["uv"]


def test_make_install_syncs_with_hashes_required(repo_root: Path) -> None:
    done = subprocess.run(
        ["make", "-n", "-B", "install"], cwd=repo_root, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    lines = done.stdout.replace("\\\n", " ").splitlines()
    syncs = [line for line in lines if " pip sync " in line]
    assert len(syncs) == 1 and "--require-hashes" in syncs[0], done.stdout
    boots = [line for line in lines if "requirements/uv.txt" in line]
    assert boots and all("--require-hashes" in line for line in boots), done.stdout


def _wheel(tmp_path: Path) -> Path:
    """A tiny wheel built here, so that nothing is fetched from a registry."""
    project = tmp_path / "project"
    (project / "src" / "pinned_probe").mkdir(parents=True)
    (project / "src" / "pinned_probe" / "__init__.py").write_text("")
    (project / "pyproject.toml").write_text(
        '[build-system]\nrequires = ["hatchling"]\nbuild-backend = "hatchling.build"\n'
        '[project]\nname = "pinned-probe"\nversion = "1.0"\n'
        '[tool.hatch.build.targets.wheel]\npackages = ["src/pinned_probe"]\n'
    )
    wheels = tmp_path / "wheels"
    pip = [sys.executable, "-m", "pip", "--disable-pip-version-check"]
    done = subprocess.run(
        [*pip, "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", str(wheels), project],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    (wheel,) = wheels.glob("*.whl")
    return wheel


@pytest.mark.parametrize("matching", [True, False], ids=["matching-hash", "other-hash"])
def test_a_package_without_its_hash_is_refused(tmp_path: Path, matching: bool) -> None:
    wheel = _wheel(tmp_path)
    digest = hashlib.sha256(wheel.read_bytes()).hexdigest() if matching else "0" * 64
    lock = tmp_path / "lock.txt"
    lock.write_text(f"pinned-probe==1.0 \\\n    --hash=sha256:{digest}\n")
    venv = tmp_path / "venv"
    uv = str(BIN / "uv")
    subprocess.run([uv, "venv", "-q", str(venv)], check=True, capture_output=True)
    local = ["--offline", "--no-index", "--find-links", str(wheel.parent)]
    done = subprocess.run(
        [uv, "pip", "sync", "--python", str(venv / "bin/python"), "--require-hashes", *local, lock],
        capture_output=True,
        text=True,
    )
    if matching:
        assert done.returncode == 0, done.stderr
    else:
        assert done.returncode != 0
        assert "hash" in done.stderr.lower(), done.stderr
        assert not list(venv.glob("lib/python*/site-packages/pinned_probe"))
