"""The house rules of the package's layout, proved from the sources and the built wheel.

- no import circles, counting every import statement (inside functions and
  `if TYPE_CHECKING:` blocks too, since a circle there is still one idea in two rooms);
- the fake never reaches the doctor;
- the CLI never loads koyeb-sdk, which only the fake needs (the `fake` extra);
- the wheel ships the package and nothing of the site's or the doc-tests' tooling;
- the guide's tooling imports neither builder (MkDocs and its plugins, Zensical): the
  doc-tests read the pages whichever builder ships the site, and the builders run as
  commands.
"""

from __future__ import annotations

import ast
import subprocess
import sys
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parent.parent / "src"


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(SRC).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _modules() -> dict[str, Path]:
    return {_module_name(path): path for path in SRC.rglob("*.py")}


def _imports(name: str, path: Path, known: dict[str, Path]) -> Iterator[str]:
    """The project modules `name` imports, each by its full name."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                base = f"{anchor}.{base}" if base else anchor
            # `from package import module` imports the module; `from module import name`
            # imports the module that defines the name.
            targets = [f"{base}.{alias.name}" for alias in node.names] + [base]
        else:
            continue
        for target in targets:
            if target in known and target != name:
                yield target


def _graph() -> dict[str, set[str]]:
    known = _modules()
    return {name: set(_imports(name, path, known)) for name, path in known.items()}


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for target in graph[node]:
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    sys.setrecursionlimit(max(sys.getrecursionlimit(), 10_000))
    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def _reach(graph: dict[str, set[str]], start: str) -> set[str]:
    seen: set[str] = set()
    todo = [start]
    while todo:
        node = todo.pop()
        if node not in seen:
            seen.add(node)
            todo.extend(graph[node])
    return seen


def test_there_are_no_import_circles() -> None:
    assert _cycles(_graph()) == []


def test_the_walker_finds_a_circle() -> None:
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert _cycles(graph) == [["a", "b", "c"]]


#: Top-level packages of the builders, their themes and their plugins.
BUILDER_PACKAGES = {"mkdocs", "mkdocs_macros", "mkdocs_click", "material", "zensical"}


def test_the_guides_tooling_imports_no_builder() -> None:
    found = []
    for path in sorted((SRC / "guidetools").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and not node.level:
                names = [node.module or ""]
            else:
                continue
            found += [f"{path.name}: {n}" for n in names if n.split(".")[0] in BUILDER_PACKAGES]
    assert found == []


def test_nothing_in_the_fake_reaches_the_doctor() -> None:
    graph = _graph()
    fake = [name for name in graph if name.startswith("cachebust.fake")]
    assert fake, "the fake's modules were not found"
    for name in fake:
        reached = sorted(m for m in _reach(graph, name) if m.startswith("cachebust._doctor"))
        assert reached == [], f"{name} imports the doctor through {reached}"


def test_the_cli_never_loads_koyeb_sdk(repo_root: Path) -> None:
    script = (
        "import sys\n"
        "import cachebust.cli\n"
        "print('koyeb' in sys.modules)\n"
        "from click.testing import CliRunner\n"
        "result = CliRunner().invoke(cachebust.cli.root, ['rebuild', '--dry-run'])\n"
        "assert result.exit_code == 0, result.output\n"
        "print('koyeb' in sys.modules)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script],
        cwd=repo_root,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["False", "False"]


@pytest.mark.timeout(120)
def test_the_wheel_ships_the_package_and_no_site_tooling(repo_root: Path, tmp_path: Path) -> None:
    pip = [sys.executable, "-m", "pip", "--disable-pip-version-check"]
    done = subprocess.run(
        [*pip, "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", str(tmp_path), repo_root],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    (wheel,) = tmp_path.glob("cachebust-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    assert "cachebust/cli/__init__.py" in names and "cachebust/data/koyeb-cli.json" in names
    outside = [n for n in names if not n.startswith(("cachebust/", "cachebust-"))]
    assert outside == []
    tooling = [n for n in names if "docs_" in n or "guidetools" in n or "hooks" in n]
    assert tooling == []
