"""The shipped flag table: present in the wheel, self-consistent, and independent of ../shared."""

from __future__ import annotations

import json
import subprocess
import sys
import zipfile
from pathlib import Path

from cachebust.koyeb_cli import table

BIN = Path(sys.executable).parent


def test_table_is_package_data_in_the_wheel(repo_root: Path, tmp_path: Path) -> None:
    subprocess.run(
        [str(BIN / "hatchling"), "build", "-t", "wheel", "-d", str(tmp_path)],
        cwd=repo_root,
        check=True,
        capture_output=True,
    )
    (wheel,) = tmp_path.glob("*.whl")
    with zipfile.ZipFile(wheel) as archive:
        shipped = json.loads(archive.read("cachebust/data/koyeb-cli.json"))
    assert shipped["_source"] == table().source


def test_every_spelling_is_unambiguous() -> None:
    spec_table = table()
    for specs in spec_table.commands.values():
        spellings = [s for spec in specs.values() for s in (spec.name, *spec.aliases)]
        assert len(spellings) == len(set(spellings))
        for spec in specs.values():
            names = [n for f in spec.flags.values() for n in (f.name, *f.aliases)]
            shorts = [f.short for f in spec.flags.values() if f.short]
            assert len(names) == len(set(names)), spec.path
            assert len(shorts) == len(set(shorts)), spec.path
            # a command's own flags never collide with the global ones
            assert not set(names) & set(spec_table.global_flags), spec.path


def test_the_cache_flags_are_where_the_cli_has_them() -> None:
    assert table().commands_with_flag("use-cache") == ["services redeploy"]
    assert table().commands_with_flag("skip-cache") == ["services create", "services update"]
    assert table().commands_with_flag("docker-arg") == ["services create", "services update"]


def test_every_command_but_list_takes_one_argument() -> None:
    for specs in table().commands.values():
        for spec in specs.values():
            assert spec.positionals == (0 if spec.name == "list" else 1), spec.path


def test_the_project_never_reads_the_shared_research_folder(repo_root: Path) -> None:
    needle = "/".join(("shared", "koyeb"))  # spelled apart so this file does not match
    for path in [*(repo_root / "src").rglob("*.py"), *(repo_root / "tests").rglob("*.py")]:
        assert needle not in path.read_text(encoding="utf-8"), path
