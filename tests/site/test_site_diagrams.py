"""The diagrams' words come from the project (config, Dockerfile, workflow) and their
marks from the platform contract, not from the drawing code."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import pytest

from cachebust._config import Settings, load
from cachebust._errors import ConfigError
from guidetools.contract import Contract, Status
from guidetools.contract import load as load_contract
from guidetools.diagrams import deployment_path, image_layers, layer_steps, workflow_branch

DOCKERFILE = """\
FROM node:22-alpine AS deps
RUN echo unused stage
FROM node:22-alpine
WORKDIR /srv
COPY package.json package-lock.json ./
RUN npm ci
ENV NODE_ENV=production
ARG BUSTME=7
RUN echo "bust $BUSTME"
COPY . .
CMD ["node", "server.js"]
"""


@pytest.fixture
def other_project(tmp_path: Path) -> Settings:
    """A project whose every value differs from this repository's."""
    (tmp_path / "pyproject.toml").write_text(
        "[tool.cachebust]\n"
        'app = "shop"\nservice = "web"\ndockerfile = "site/Containerfile"\n'
        'build-arg = "BUSTME"\nbuild-arg-default = "7"\napi-url = "https://app.koyeb.com"\n',
        encoding="utf-8",
    )
    (tmp_path / "site").mkdir()
    (tmp_path / "site" / "Containerfile").write_text(DOCKERFILE, encoding="utf-8")
    workflows = tmp_path / ".github" / "workflows"
    workflows.mkdir(parents=True)
    (workflows / "deploy.yml").write_text(
        "on:\n  push:\n    branches: [release]\njobs: {}\n", encoding="utf-8"
    )
    return load(tmp_path)


def _svg_text(figure: str) -> str:
    return " ".join(re.findall(r"<(?:text|tspan)[^>]*>([^<]*)", figure))


def test_the_deployment_path_names_the_projects_own_values(other_project: Settings) -> None:
    drawn = deployment_path(other_project, load_contract(), "explanation/architecture.md")
    text = _svg_text(drawn)
    for value in ("shop/web", "site/Containerfile", "branch release"):
        assert value in text, value
    assert "harvestconnect" not in drawn and "backend/Dockerfile" not in drawn
    assert 'role="img"' in drawn and "<title id=" in drawn and "<desc id=" in drawn


def test_the_layers_follow_the_dockerfile(other_project: Settings) -> None:
    steps, bust, settings_only = layer_steps(other_project)
    # The last stage only; ARG among the steps, ENV and CMD set aside.
    assert [(s.kind, s.line) for s in steps] == [
        ("FROM", 3),
        ("WORKDIR", 4),
        ("COPY", 5),
        ("RUN", 6),
        ("ARG", 8),
        ("RUN", 9),
        ("COPY", 10),
    ]
    assert bust.line == 8
    assert [i.kind for i in settings_only] == ["ENV", "CMD"]

    drawn = image_layers(other_project, load_contract(), None, miss=9)
    cells = re.findall(
        r'<g class="cb-diagram__node cb-diagram__node--(\w+)">.*?</g>', drawn.split("</desc>")[1]
    )
    # Per step: the step, then the new-value column, then the uncached one.
    columns = [cells[i : i + 3] for i, kind in enumerate(cells) if kind == "step"]
    assert [c[1] for c in columns] == ["reused"] * 4 + ["rebuilt"] * 2
    assert [c[2] for c in columns] == ["unknown"] + ["rebuilt"] * 5
    text = _svg_text(drawn)
    assert "new BUSTME value" in text and "8  ARG BUSTME=7: the cache-bust point" in text
    assert "ENV, CMD: image settings" in text


def _with_status(contract: Contract, anchor: str, status: Status) -> Contract:
    entries = tuple(
        dataclasses.replace(e, status=status) if e.anchor == anchor else e for e in contract.entries
    )
    return dataclasses.replace(contract, entries=entries)


def test_marks_follow_the_contract() -> None:
    """A claim's mark is its entry's: confirm the entry and the mark goes."""
    settings = load(Path(__file__).resolve().parents[2])
    contract = load_contract()
    anchor = "api-uncached-build-scope"
    assert contract.cited(anchor).status == "unconfirmed"  # type: ignore[union-attr]
    miss = 20

    def marks(drawn: str) -> int:
        return len(
            re.findall(
                r'class="cb-diagram__mark"[^>]*>UNCONFIRMED<|'
                r'class="cb-diagram__mark"[^>]*>unconfirmed<',
                drawn,
            )
        )

    before = image_layers(settings, contract, None, miss)
    after = image_layers(settings, _with_status(contract, anchor, "confirmed"), None, miss)
    assert marks(after) == marks(before) - 1
    assert f"contract.md#{anchor}" in before and "not documented" in before


def test_a_dockerfile_without_the_argument_is_a_clear_error(other_project: Settings) -> None:
    (other_project.root / other_project.dockerfile).write_text(
        "FROM scratch\nCOPY . .\n", encoding="utf-8"
    )
    with pytest.raises(ConfigError, match="has no ARG BUSTME"):
        layer_steps(other_project)


def test_a_workflow_without_a_push_branch_is_a_clear_error(other_project: Settings) -> None:
    (other_project.root / ".github/workflows/deploy.yml").write_text(
        "on: workflow_dispatch\n", encoding="utf-8"
    )
    with pytest.raises(ConfigError, match="Cannot read the branch"):
        workflow_branch(other_project.root)
