"""The offline rewrite of the project's Dockerfile keeps its shape (no Docker needed)."""

from __future__ import annotations

from pathlib import Path

import pytest
from build_daemon import is_static_elf, skip_reason
from build_derive import derive

from cachebust._config import load
from cachebust._dockerfile import parse_dockerfile


def test_the_project_dockerfile_keeps_its_chain_of_steps(repo_root: Path) -> None:
    settings = load(repo_root)
    original = (repo_root / settings.dockerfile).read_text(encoding="utf-8")
    derived = derive(original, base="base:local", arg=settings.build_arg)
    before = parse_dockerfile(original)
    after = parse_dockerfile(derived.text)
    assert len(after.stages) == len(before.stages)
    for old, new in zip(before.stages, after.stages, strict=True):
        kinds = [i.kind for i in old.instructions if i.kind not in ("SHELL", "ONBUILD")]
        assert [i.kind for i in new.instructions] == kinds
        assert new.base == "base:local" or new.base == old.base
    assert "# syntax" not in derived.text and "--chown" not in derived.text


def test_multi_stage_labels_and_stage_references() -> None:
    derived = derive(
        "# syntax=docker/dockerfile:1\n"
        "FROM python:3.12 AS deps\n"
        "RUN --mount=type=cache,target=/root/.cache pip wheel -w /w x\n"
        "FROM python:3.12\n"
        "USER app\n"
        "COPY --from=deps --chown=app /w /w\n"
        "ARG CACHEBUST=1\n"
        'RUN echo "$CACHEBUST"\n'
        "ADD https://example.com/x.tgz /tmp/\n",
        base="base:local",
        arg="CACHEBUST",
    )
    assert derived.text.splitlines() == [
        "FROM base:local AS deps",
        'RUN echo "proof: line 3"',
        "FROM base:local",
        "USER 0",
        "COPY --from=deps /w /w",
        "ARG CACHEBUST=1",
        'RUN echo "proof: line 8 CACHEBUST=${CACHEBUST}"',
        'RUN echo "proof: line 9 (ADD of a URL)"',
    ]
    assert [(s.stage, s.index, s.line) for s in derived.steps] == [
        ("deps", 2, 3),
        ("stage-1", 2, 6),
        ("stage-1", 3, 8),
        ("stage-1", 4, 9),
    ]
    assert (derived.arg_stage, derived.arg_line) == ("stage-1", 7)


def test_a_dockerfile_without_the_arg_cannot_be_proven() -> None:
    with pytest.raises(AssertionError, match="no ARG CACHEBUST"):
        derive("FROM x\nRUN true\n", base="b", arg="CACHEBUST")


def test_static_binary_detection(tmp_path: Path) -> None:
    import sys

    assert not is_static_elf(Path(sys.executable).resolve())  # CPython links libc
    assert not is_static_elf(tmp_path / "missing")
    (tmp_path / "script").write_text("#!/bin/sh\n")
    assert not is_static_elf(tmp_path / "script")


def test_the_skip_reason_names_the_packages_and_the_install_command(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    import build_daemon

    monkeypatch.setattr(build_daemon, "CLIENT", tmp_path / "docker")
    monkeypatch.setattr(build_daemon, "BUSYBOX", tmp_path / "busybox")
    reason = skip_reason()
    assert reason is not None
    assert "docker.io" in reason and "busybox-static" in reason
    assert "sudo apt-get install -y docker.io busybox-static" in reason
