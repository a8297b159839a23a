"""The sites the benchmarks compare: the guide as configured, and its pages on plain Material.

The baseline keeps the guide's name, pages and nav, and drops everything else: no
macros, snippets, tabs, custom fences or extra CSS. Its pages then show `{{ ... }}`,
`--8<--` and `=== "Tab"` as raw text, which still builds. Two settings stay: `font: false`
(Google Fonts cannot be reached here, and fetching them would only measure the
failure) and link validation lowered to INFO (links written with macros are broken
in raw form; `--strict` would otherwise stop at them).

A second baseline, for the build time only, keeps the guide's theme and Markdown
extensions and drops what this project adds to them (the macros plugin, its console
fence and Markdown extensions, mkdocs-click, the extra CSS and JavaScript): the gap
between the two baselines is the cost of Material's own features on these pages, the
rest is ours.
"""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

REPO = Path(__file__).resolve().parent.parent
CONFIG = REPO / "mkdocs.yml"


class _ConfigLoader(yaml.SafeLoader):
    """Reads mkdocs.yml without running it: MkDocs' own tags load as None."""


def _ignore_tag(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> None:
    return None


_ConfigLoader.add_multi_constructor("!", _ignore_tag)
_ConfigLoader.add_multi_constructor("tag:yaml.org,2002:python/", _ignore_tag)

_LOWERED = {
    "not_found": "info",
    "anchors": "info",
    "absolute_links": "info",
    "unrecognized_links": "info",
}


def write_baseline_config(into: Path) -> Path:
    """Write the Material-only config for the guide's pages into `into`; return its path."""
    guide: dict[str, Any] = yaml.load(CONFIG.read_text(encoding="utf-8"), Loader=_ConfigLoader)
    baseline = {
        "site_name": guide["site_name"],
        "docs_dir": str(REPO / guide.get("docs_dir", "docs")),
        "nav": guide["nav"],
        "theme": {"name": "material", "font": False},
        "validation": {"links": _LOWERED},
    }
    return _write(baseline, into / "mkdocs.yml")


def write_extensions_config(into: Path) -> Path:
    """Write the guide's theme and Markdown extensions without this project's additions."""
    guide: dict[str, Any] = yaml.load(CONFIG.read_text(encoding="utf-8"), Loader=_ConfigLoader)
    extensions: list[Any] = []
    for extension in guide["markdown_extensions"]:
        name = next(iter(extension)) if isinstance(extension, dict) else extension
        if name == "mkdocs-click" or name.startswith("guidetools."):
            continue
        if name == "pymdownx.superfences":
            extension = name  # without the console fence, whose formatter is ours
        elif name == "pymdownx.snippets":
            # Some included paths are written with macros, which stay unrendered here.
            extension = {name: {"base_path": [str(REPO)], "check_paths": False}}
        extensions.append(extension)
    baseline = {
        "site_name": guide["site_name"],
        "docs_dir": str(REPO / guide.get("docs_dir", "docs")),
        "nav": guide["nav"],
        "theme": guide["theme"],
        "markdown_extensions": extensions,
        "plugins": ["search"],
        "validation": {"links": _LOWERED},
    }
    folder = into / "extensions"
    folder.mkdir(exist_ok=True)
    return _write(baseline, folder / "mkdocs.yml")


def _write(config: dict[str, Any], path: Path) -> Path:
    path.write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    return path


def build_command(config: Path, site_dir: Path) -> list[str]:
    return [
        sys.executable,
        "-m",
        "mkdocs",
        "build",
        "--strict",
        "-q",
        "-f",
        str(config),
        "-d",
        str(site_dir),
    ]


@dataclass(frozen=True)
class Sites:
    guide: Path
    baseline: Path


def build_both(workdir: Path) -> Sites:
    """Build the guide and the baseline once, for the benchmarks that load pages."""
    sites = Sites(guide=workdir / "guide-site", baseline=workdir / "baseline-site")
    baseline_config = write_baseline_config(workdir)
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    for config, site_dir in ((CONFIG, sites.guide), (baseline_config, sites.baseline)):
        subprocess.run(build_command(config, site_dir), cwd=REPO, env=env, check=True)
    return sites
