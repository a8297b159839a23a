"""The fake's build log follows the configured Dockerfile, step by step, as BuildKit prints it."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import httpx
import pytest

from cachebust._buildkit import layer_steps, parse_progress
from cachebust._config import Settings, load
from cachebust.fake import FakeKoyeb
from cachebust.fake._build_log import CACHED_SECONDS, UNCACHED_SECONDS, BuildScript, build_script
from cachebust.fake._build_plan import STAND_IN_DOCKERFILE

NODE_DOCKERFILE = """\
FROM node:20-alpine
WORKDIR /srv
COPY package.json package-lock.json ./
RUN npm ci
ARG BUST_ID=7
RUN echo "BUST_ID=${BUST_ID}"
COPY . .
CMD ["node", "server.js"]
"""
DIGEST = "0" * 64
_VERTEX = re.compile(r"#(\d+) (.+)")


def _settings(root: Path, dockerfile: str | None, *, arg: str = "BUST_ID") -> Settings:
    """Settings of a project in `root` whose `svc/Dockerfile` is `dockerfile` (None: none)."""
    if dockerfile is not None:
        (root / "svc").mkdir(parents=True, exist_ok=True)
        (root / "svc" / "Dockerfile").write_text(dockerfile, encoding="utf-8")
    return dataclasses.replace(
        load(), root=root, dockerfile="svc/Dockerfile", build_arg=arg, build_arg_default="7"
    )


def _script(settings: Settings, *, cached: bool = False, outcome: str = "healthy") -> BuildScript:
    return build_script(settings, cached=cached, outcome=outcome, digest=DIGEST)


def _titles(script: BuildScript) -> list[str]:
    """Each step's title: the first line BuildKit prints for its number."""
    titles: dict[str, str] = {}
    for line in script.lines:
        if match := _VERTEX.fullmatch(line.msg):
            titles.setdefault(match[1], match[2])
    return list(titles.values())


def _messages(script: BuildScript) -> list[str]:
    return [line.msg for line in script.lines]


def test_one_step_per_instruction_in_buildkit_numbering(tmp_path: Path) -> None:
    titles = _titles(_script(_settings(tmp_path, NODE_DOCKERFILE)))
    image = "docker.io/library/node:20-alpine"
    assert titles[0] == 'building with "default" instance'
    assert titles[1:4] == [
        "[internal] load build definition from svc/Dockerfile",
        f"[internal] load metadata for {image}",
        "[internal] load .dockerignore",
    ]
    assert re.fullmatch(rf"\[1/6\] FROM {re.escape(image)}@sha256:[0-9a-f]{{64}}", titles[4])
    assert titles[5:] == [
        "[internal] load build context",
        "[2/6] WORKDIR /srv",
        "[3/6] COPY package.json package-lock.json ./",
        "[4/6] RUN npm ci",
        '[5/6] RUN echo "BUST_ID=7"',  # the build arg's default put in, as BuildKit shows it
        "[6/6] COPY . .",
        "exporting to image",
    ]


def test_the_consuming_run_prints_the_default(tmp_path: Path) -> None:
    messages = _messages(_script(_settings(tmp_path, NODE_DOCKERFILE)))
    title = messages.index('#9 [5/6] RUN echo "BUST_ID=7"')
    assert re.fullmatch(r"#9 \d\.\d{3} BUST_ID=7", messages[title + 1])
    assert messages[title + 2] == "#9 DONE 0.4s"


def test_another_dockerfile_gives_other_steps(tmp_path: Path) -> None:
    repo = load()
    ours = _titles(_script(_settings(tmp_path, NODE_DOCKERFILE)))
    theirs = _titles(_script(repo))
    assert ours != theirs
    dockerfile = (repo.root / repo.dockerfile).read_text(encoding="utf-8")
    # Every RUN and COPY of the project's Dockerfile is a step of its build, in order.
    written = [line.split(" ", 1)[0] for line in dockerfile.splitlines()]
    kinds = [t.split("] ", 1)[1].split(" ", 1)[0] for t in theirs if re.match(r"\[\d+/\d+\]", t)]
    assert kinds == [k for k in written if k in ("FROM", "WORKDIR", "COPY", "RUN", "ADD")]


def test_uncached_and_cached_builds(tmp_path: Path) -> None:
    settings = _settings(tmp_path, NODE_DOCKERFILE)
    uncached, cached = _script(settings), _script(settings, cached=True)
    assert (uncached.duration, cached.duration) == (UNCACHED_SECONDS, CACHED_SECONDS)
    assert _titles(uncached) == _titles(cached)
    plain = layer_steps(parse_progress(_messages(uncached)))
    reused = layer_steps(parse_progress(_messages(cached)))
    assert len(plain) == 5 and not any(step.cached for step in plain)
    assert len(reused) == 5 and all(step.cached for step in reused)
    # Each step ends with one mark: DONE when it ran, CACHED when it came from the cache.
    for script in (uncached, cached):
        messages = _messages(script)
        numbers = {m[1] for msg in messages if (m := _VERTEX.fullmatch(msg))} - {"0"}
        for number in numbers:
            marks = [m for m in messages if re.fullmatch(rf"#{number} (DONE \S+s|CACHED)", m)]
            assert len(marks) == 1, (number, messages)
    # The dependency install takes most of an uncached build.
    install = next(s for s in uncached.steps if s.name.endswith("RUN npm ci"))
    assert install.end is not None and install.end - install.start > UNCACHED_SECONDS / 2


def test_the_same_seed_gives_the_same_log() -> None:
    logs = []
    for _ in range(2):
        fake = FakeKoyeb(seed=3)
        with httpx.Client(
            transport=fake.transport,
            base_url="https://app.koyeb.com",
            headers={"Authorization": f"Bearer {fake.token}"},
        ) as api:
            reply = api.post(f"/v1/services/{fake.service_id}/redeploy", json={"use_cache": False})
            fake.clock.advance(400)
            query = {"type": "build", "deployment_id": reply.json()["deployment"]["id"]}
            query |= {"order": "asc", "limit": "1000", "start": "2000-01-01T00:00:00Z"}
            entries = api.get("/v1/streams/logs/query", params=query).json()["data"]
        logs.append([entry["msg"] for entry in entries])
    assert logs[0] == logs[1] and any(msg.endswith(" DONE 9.0s") for msg in logs[0])


def test_a_missing_dockerfile_reads_the_guides_shape(tmp_path: Path) -> None:
    missing = _script(_settings(tmp_path / "missing", None, arg="CACHEBUST"))
    titles = _titles(missing)
    assert "[4/6] RUN pip install --no-cache-dir -r requirements.txt" in titles
    assert '[5/6] RUN echo "cache bust: 7"' in titles
    # The same text, written as the project's Dockerfile, gives the same log (but for the
    # size of the build context, which now holds that Dockerfile).
    text = STAND_IN_DOCKERFILE.format(arg="CACHEBUST", default="7")
    written = _script(_settings(tmp_path, text, arg="CACHEBUST"))
    sent = re.compile(r"#\d+ transferring context: .*")
    assert [m for m in _messages(written) if not sent.fullmatch(m)] == [
        m for m in _messages(missing) if not sent.fullmatch(m)
    ]


@pytest.mark.parametrize("cached", [False, True])
def test_an_error_fails_in_the_install_naming_the_dockerfile(tmp_path: Path, cached: bool) -> None:
    settings = _settings(tmp_path, None, arg="CACHEBUST")
    script = _script(settings, cached=cached, outcome="error")
    messages = _messages(script)
    assert script.steps[-1].failed and script.steps[-1].name.endswith("-r requirements.txt")
    assert any("ERROR: No matching distribution found for" in m for m in messages)
    excerpt = messages.index("svc/Dockerfile:5")
    assert messages[excerpt + 4] == "   5 | >>> RUN pip install --no-cache-dir -r requirements.txt"
    assert messages[-1] == (
        'ERROR: failed to solve: process "/bin/sh -c pip install --no-cache-dir -r '
        'requirements.txt" did not complete successfully: exit code: 1'
    )
    assert script.failure is not None and script.failure.endswith("exit code: 1")


def test_an_npm_error_prints_npms_lines(tmp_path: Path) -> None:
    script = _script(_settings(tmp_path, NODE_DOCKERFILE), outcome="error")
    assert any(m.endswith("npm error network aborted") for m in _messages(script))
    assert _messages(script)[-1].startswith('ERROR: failed to solve: process "/bin/sh -c npm ci"')


def test_without_a_run_an_error_fails_the_push(tmp_path: Path) -> None:
    script = _script(_settings(tmp_path, "FROM nginx:1.27\nCOPY site/ /usr/share/nginx/html/\n"))
    assert "[2/2] COPY site/ /usr/share/nginx/html/" in _titles(script)
    failed = _script(_settings(tmp_path, "FROM nginx:1.27\n"), outcome="error")
    assert _messages(failed)[-1] == (
        "ERROR: failed to solve: failed to push image: unexpected status: 500 Internal Server Error"
    )
    assert failed.steps[-1].name == "exporting to image" and failed.steps[-1].failed


def test_a_stuck_build_never_ends_its_install(tmp_path: Path) -> None:
    script = _script(_settings(tmp_path, NODE_DOCKERFILE), outcome="stuck")
    assert script.steps[-1].name == "[4/6] RUN npm ci" and script.steps[-1].end is None
    assert script.failure is None and _messages(script)[-1] == "#8 [4/6] RUN npm ci"
    pip = _script(_settings(tmp_path / "pip", None), cached=True, outcome="stuck")
    assert re.fullmatch(r"#8 \d\.\d{3} Collecting example-dependency==1\.0\.0", _messages(pip)[-1])


def test_stages_are_labelled_and_unused_ones_skipped(tmp_path: Path) -> None:
    dockerfile = """\
ARG PY=3.12
FROM python:${PY} AS deps
RUN pip wheel --wheel-dir /wheels flask
FROM alpine AS unused
RUN echo never
FROM python:${PY}-slim
COPY --from=deps /wheels /wheels
RUN pip install /wheels/*
"""
    titles = _titles(_script(_settings(tmp_path, dockerfile)))
    assert "[internal] load metadata for docker.io/library/python:3.12" in titles
    assert not any("alpine" in t or "never" in t for t in titles)
    assert "[deps 2/2] RUN pip wheel --wheel-dir /wheels flask" in titles
    assert "[stage-2 2/3] COPY --from=deps /wheels /wheels" in titles
    assert "[internal] load build context" not in titles  # nothing comes from the context
