"""The pieces under the doctor: the Dockerfile model and the build-log reader."""

from __future__ import annotations

from cachebust._buildkit import layer_steps, parse_progress
from cachebust._dockerfile import Instruction, parse_copy, parse_dockerfile, references

PLAIN = """\
#0 building with "default" instance
#1 [internal] load build definition from Dockerfile
#4 [deps 1/3] FROM docker.io/library/base:local
#4 CACHED
#5 [stage-1 2/5] WORKDIR /app
#5 CACHED
#6 [stage-1 3/5] RUN echo "cache bust: 2"
#6 0.040 cache bust: 2
#6 DONE 0.1s
#7 [stage-1 4/5] COPY app.py .
#7 DONE 0.0s
#5 [stage-1 2/5] WORKDIR /app
"""


def test_plain_progress_steps_and_their_cache_marks() -> None:
    steps = parse_progress(PLAIN.splitlines())
    assert [(s.stage, s.index, s.instruction, s.cached) for s in steps] == [
        ("deps", 1, "FROM", True),
        ("stage-1", 2, "WORKDIR", True),
        ("stage-1", 3, "RUN", False),
        ("stage-1", 4, "COPY", False),
    ]
    assert [s.index for s in layer_steps(steps)] == [2, 3, 4]


def test_single_stage_titles_have_no_stage() -> None:
    (step,) = parse_progress(["#3 [2/6] RUN pip install -r requirements.txt", "#3 CACHED"])
    assert step.stage is None and step.cached and step.text.startswith("RUN pip")


def test_stages_names_lines_and_reachability() -> None:
    model = parse_dockerfile(
        "ARG PY=3.12\n"
        "FROM python:${PY} AS Deps\n"
        "RUN pip wheel -w /w x\n"
        "FROM node:22 AS unused\n"
        "RUN \\\n  echo never\n"
        "FROM deps\n"
        "COPY --from=deps /w /w\n"
        "ARG CACHEBUST=3 OTHER\n"
    )
    assert [(s.name, s.line, s.base) for s in model.stages] == [
        ("deps", 2, "python:${PY}"),
        ("unused", 4, "node:22"),
        (None, 7, "deps"),
    ]
    assert [s.name for s in model.reachable()] == ["deps", None]
    assert model.stages[1].instructions[0].line == 5
    assert [(n, d) for _, n, d in model.stages[2].args()] == [("CACHEBUST", "3"), ("OTHER", None)]
    assert model.global_default("PY") == "3.12"


def test_copy_forms() -> None:
    json_form = parse_copy(Instruction("COPY", '["a b.txt", "./"]', 1, 1))
    assert json_form.sources == ("a b.txt",) and json_form.destination == "./"
    flagged = parse_copy(Instruction("COPY", "--chown=1:1 --from=build /out /srv", 1, 1))
    assert flagged.flags == {"chown": "1:1", "from": "build"} and not flagged.from_context
    assert parse_copy(Instruction("ADD", "https://x/y.tgz /tmp/", 1, 1)).brings_source is False
    assert parse_copy(Instruction("COPY", "src/ ./src/", 1, 1)).brings_source is True


def test_references_need_the_exact_name() -> None:
    assert references(Instruction("RUN", 'echo "${CACHEBUST}"', 1, 1), "CACHEBUST")
    assert references(Instruction("RUN", "echo $CACHEBUST/x", 1, 1), "CACHEBUST")
    assert references(Instruction("RUN", "echo ${CACHEBUST:-0}", 1, 1), "CACHEBUST")
    assert not references(Instruction("RUN", "echo $CACHEBUSTER", 1, 1), "CACHEBUST")
