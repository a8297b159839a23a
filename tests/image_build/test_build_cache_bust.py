"""A real BuildKit build proves what the cache-bust build argument does.

The project's Dockerfile ([tool.cachebust] dockerfile), rewritten to build offline
with the same chain of steps (see build_derive.py), is built four times in a fresh
daemon. Assertions read the builder's own cache report (`#N CACHED` in
`--progress=plain` output), never timings:

1. no --build-arg at all: the build succeeds and uses the ARG's default;
2. the default passed explicitly: every step CACHED (same value, same cache);
3. a new value: the steps before the first RUN after the ARG CACHED, that RUN and
   every later step (the source COPY included) rebuilt;
4. that new value again: every step CACHED.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest
from build_daemon import DockerDaemon
from build_derive import Derived, Step, derive

from cachebust._buildkit import LoggedStep, layer_steps, parse_progress
from cachebust._config import Settings, load
from conftest import BASE_IMAGE


@dataclass(frozen=True)
class Build:
    output: str
    steps: list[LoggedStep]

    def step(self, expected: Step) -> LoggedStep:
        found = [s for s in self.steps if (s.stage, s.index) == (expected.stage, expected.index)]
        assert found, f"no step [{expected.stage} {expected.index}] in:\n{self.output}"
        return found[0]


@dataclass(frozen=True)
class Proof:
    settings: Settings
    derived: Derived
    builds: dict[str, Build]
    new_value: str


@pytest.fixture(scope="module")
def proof(
    docker_daemon: DockerDaemon, repo_root: Path, tmp_path_factory: pytest.TempPathFactory
) -> Proof:
    settings = load(repo_root)
    dockerfile = repo_root / settings.dockerfile
    derived = derive(
        dockerfile.read_text(encoding="utf-8"), base=BASE_IMAGE, arg=settings.build_arg
    )
    work = tmp_path_factory.mktemp("proof")
    context = work / "context"
    shutil.copytree(dockerfile.parent, context)  # the Dockerfile's folder is its build context
    (work / "Dockerfile").write_text(derived.text, encoding="utf-8")
    arg, default = settings.build_arg, settings.build_arg_default
    new_value = f"{default}-bumped"

    def build(*build_args: str) -> Build:
        args = [f"--build-arg={a}" for a in build_args]
        result = docker_daemon.docker(
            "build", "--network=none", "--progress=plain", "-f", str(work / "Dockerfile"),
            "-t", "cachebust-proof:latest", *args, str(context), check=False,
        )  # fmt: skip
        output = result.stdout + result.stderr
        assert result.returncode == 0, f"build {build_args} failed:\n{output}\n{derived.text}"
        return Build(output, layer_steps(parse_progress(output.splitlines())))

    builds = {
        "no-arg": build(),
        "default": build(f"{arg}={default}"),
        "new": build(f"{arg}={new_value}"),
        "new-again": build(f"{arg}={new_value}"),
    }
    return Proof(settings, derived, builds, new_value)


def bust_point(proof: Proof) -> Step:
    """The first RUN after the ARG, in the ARG's stage: the first step a new value misses."""
    after = [
        s
        for s in proof.derived.steps
        if s.stage == proof.derived.arg_stage and s.line > proof.derived.arg_line
    ]
    runs = [s for s in after if s.kind == "RUN"]
    assert runs, "no RUN after the ARG: the build argument would bust nothing"
    return runs[0]


def test_without_a_build_arg_the_default_is_used(proof: Proof) -> None:
    build = proof.builds["no-arg"]
    arg, default = proof.settings.build_arg, proof.settings.build_arg_default
    assert f"{arg}={default}\n" in build.output, build.output


@pytest.mark.parametrize("name", ["default", "new-again"])
def test_the_same_value_twice_serves_every_step_from_the_cache(proof: Proof, name: str) -> None:
    build = proof.builds[name]
    assert build.steps, build.output
    assert [s.text for s in build.steps if not s.cached] == [], build.output


def test_a_new_value_rebuilds_from_the_consuming_run_on(proof: Proof) -> None:
    build = proof.builds["new"]
    first = bust_point(proof)
    for expected in proof.derived.steps:
        actual = build.step(expected)
        if expected.stage != first.stage:
            continue  # other stages: see the next test
        rebuilt = expected.index >= first.index
        assert actual.cached is not rebuilt, (
            f"line {expected.line} ({actual.text}) should be "
            f"{'rebuilt' if rebuilt else 'CACHED'}:\n{build.output}"
        )
    assert f"{proof.settings.build_arg}={proof.new_value}" in build.output


def test_a_new_value_keeps_earlier_stages_and_dependency_layers_cached(proof: Proof) -> None:
    build = proof.builds["new"]
    first = bust_point(proof)
    before = [s for s in proof.derived.steps if s.line < first.line]
    assert before, "nothing comes before the cache-bust RUN: every bust rebuilds everything"
    assert all(build.step(s).cached for s in before), build.output
    after = [s for s in proof.derived.steps if s.stage == first.stage and s.line > first.line]
    assert any(s.kind in ("COPY", "ADD") for s in after), "the source is not copied after it"
