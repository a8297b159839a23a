"""Small project folders for `cachebust doctor` to check: a correct one and variations."""

from __future__ import annotations

from pathlib import Path

PYPROJECT = """\
[project]
name = "fixture"

[tool.cachebust]
app = "my-app"
service = "web"
dockerfile = "Dockerfile"
build-arg = "CACHEBUST"
build-arg-default = "7"
api-url = "https://app.koyeb.com"
"""

DOCKERFILE = """\
FROM python:3.12-slim
WORKDIR /app
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt
ARG CACHEBUST=7
RUN echo "cache bust: ${CACHEBUST}"
COPY . .
CMD ["python", "app.py"]
"""

WORKFLOW = """\
name: deploy
on:
  push:
    branches: [main]
jobs:
  deploy:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - name: Redeploy without the build cache
        env:
          KOYEB_TOKEN: ${{ secrets.KOYEB_TOKEN }}
        run: |
          koyeb service redeploy my-app/web \\
            --wait --wait-timeout 15m
"""


def make_repo(
    root: Path,
    *,
    dockerfile: str | None = DOCKERFILE,
    workflows: dict[str, str] | None = None,
    pyproject: str | None = PYPROJECT,
    dockerfile_path: str = "Dockerfile",
) -> Path:
    """A project in `root`; `workflows` defaults to one correct deploy workflow."""
    root.mkdir(parents=True, exist_ok=True)
    if pyproject is not None:
        (root / "pyproject.toml").write_text(pyproject, encoding="utf-8")
    if dockerfile is not None:
        path = root / dockerfile_path
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(dockerfile, encoding="utf-8")
    folder = root / ".github" / "workflows"
    for name, text in ({"deploy.yml": WORKFLOW} if workflows is None else workflows).items():
        folder.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(text, encoding="utf-8")
    return root


def workflow(run: str, *, on: str = "push:\n    branches: [main]") -> str:
    """A one-step workflow running `run` (a single line or a block)."""
    body = "\n".join("          " + line for line in run.splitlines())
    return (
        f"on:\n  {on}\njobs:\n  deploy:\n    runs-on: ubuntu-latest\n    steps:\n"
        f"      - run: |\n{body}\n"
    )
