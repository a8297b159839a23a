"""The CI/CD page shows the action's inputs and outputs as `action.yml` declares them."""

from __future__ import annotations

from pathlib import Path

import yaml

from guidetools.render import Renderer

PAGE = "docs/how-to/ci-cd.md"


def test_the_page_renders_every_input_and_output_from_action_yml(repo_root: Path) -> None:
    action = yaml.safe_load((repo_root / "action.yml").read_text())
    text = (repo_root / PAGE).read_text()
    assert "{{ action_inputs() }}" in text and "{{ action_outputs() }}" in text
    page = Renderer(repo_root).render(text, path=Path(PAGE))
    for name, spec in action["inputs"].items():
        default = f"`{spec['default']}`" if spec["default"] else "(empty)"
        first_words = " ".join(spec["description"].split()[:4])
        row = next(line for line in page.splitlines() if line.startswith(f"| `{name}` |"))
        assert row.startswith(f"| `{name}` | {default} | {first_words}"), row
    for name, spec in action["outputs"].items():
        first_words = " ".join(spec["description"].split()[:4])
        assert f"| `{name}` | {first_words}" in page


def test_a_changed_action_changes_the_page(repo_root: Path, tmp_path: Path) -> None:
    """The tables are read from the file, not written once."""
    for name in ("pyproject.toml", "action.yml"):
        (tmp_path / name).write_text((repo_root / name).read_text())
    for folder in ("backend",):
        (tmp_path / folder).symlink_to(repo_root / folder)
    action = tmp_path / "action.yml"
    action.write_text(action.read_text().replace("  wait:\n", "  wait-for-it:\n"))
    page = Renderer(tmp_path).render("{{ action_inputs() }}", path=Path(PAGE))
    assert "| `wait-for-it` | `true` |" in page and "| `wait` |" not in page
