"""scripts/koyeb-cli-table: the flag table read out of a koyeb-cli checkout, shown on a
small synthetic Go tree (fixtures/koyeb-cli), never on the CLI's own code."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

FIXTURE = Path(__file__).parent / "fixtures" / "koyeb-cli"

_DEFINITION_FLAGS: dict[str, Any] = {
    "ignore": {"short": None, "type": "strings", "default": [".git", "tmp"]},
    "image": {"short": None, "type": "string", "default": ""},
    "ports": {"short": None, "type": "strings", "default": None, "aliases": ["port"]},
    "regions": {"short": None, "type": "strings", "default": [], "aliases": ["region"]},
    "retry-after": {"short": None, "type": "duration", "default": "1m30s"},
    "scale": {"short": None, "type": "int", "default": 1},
    "sleep-delay": {"short": None, "type": "duration", "default": "0s", "aliases": ["sleep"]},
    "strategy": {"short": None, "type": "string", "default": None, "choices": ["fast", "safe"]},
    "type": {"short": None, "type": "string", "default": "web"},
}
_APP = {"app": {"short": "a", "type": "string", "default": ""}}

#: What the fixture's Go source says, in the table's layout (everything but `_source`).
EXPECTED: dict[str, Any] = {
    "top_level_commands": ["version", "services", "other", "deployments"],
    "global_flags": {
        "settings": {"short": "s", "type": "string", "default": ""},
        # the help text's order (json,text), not the order of Set's cases
        "format": {"short": "f", "type": "string", "default": None, "choices": ["json", "text"]},
        "loud": {"short": "l", "type": "bool", "default": False},
        "quiet": {"short": None, "type": "bool", "default": False},
        "endpoint": {"short": None, "type": "string", "default": "https://api.example.invalid"},
        "help": {"short": "h", "type": "bool", "default": False},
    },
    "groups": {
        "services": {
            "aliases": ["svc", "s"],
            "commands": {
                "create": {
                    "aliases": [],
                    "positionals": 1,
                    "flags": dict(
                        sorted(
                            {
                                **_APP,
                                **_DEFINITION_FLAGS,
                                "wait": {"short": None, "type": "bool", "default": False},
                                "wait-timeout": {
                                    "short": None,
                                    "type": "duration",
                                    "default": "2m0s",
                                },
                            }.items()
                        )
                    ),
                },
                "exec": {"aliases": ["run"], "positionals": 1, "flags": {}, "passthrough": True},
                "list": {
                    "aliases": [],
                    "positionals": 0,
                    "flags": {"name": {"short": "n", "type": "string", "default": ""}},
                },
                "logs": {
                    "aliases": ["l", "log"],
                    "positionals": 1,
                    "flags": {
                        "kind": {"short": "k", "type": "string", "default": ""},
                        "since": {"short": None, "type": "date", "default": None},
                    },
                },
                "scale": {
                    "aliases": [],
                    "positionals": 1,
                    "flags": {"count": {"short": None, "type": "int", "default": 1}},
                },
                "update": {
                    "aliases": [],
                    "positionals": 1,
                    "flags": dict(
                        sorted(
                            {
                                **_APP,
                                **_DEFINITION_FLAGS,
                                "instances": {"short": None, "type": "int", "default": 3},
                            }.items()
                        )
                    ),
                },
            },
        },
        "deployments": {
            "aliases": ["dep"],
            "commands": {
                "get": {"aliases": [], "positionals": 1, "flags": {}},
                "list": {
                    "aliases": [],
                    "positionals": 0,
                    "flags": {"service": {"short": None, "type": "string", "default": ""}},
                },
            },
        },
    },
}


def run_script(
    repo_root: Path, checkout: Path, output: Path, *options: str
) -> subprocess.CompletedProcess[str]:
    argv = [sys.executable, str(repo_root / "scripts" / "koyeb-cli-table"), str(checkout)]
    return subprocess.run(
        [*argv, "--output", str(output), *options], capture_output=True, text=True, check=False
    )


@pytest.fixture
def checkout(tmp_path: Path) -> Path:
    """A copy of the fixture tree that a test may change."""
    return Path(shutil.copytree(FIXTURE, tmp_path / "koyeb-cli"))


def test_the_table_is_read_from_the_go_source(repo_root: Path, tmp_path: Path) -> None:
    output = tmp_path / "table.json"
    result = run_script(repo_root, FIXTURE, output, "--commit", "0123abc")
    assert result.returncode == 0, result.stderr
    text = output.read_text("utf-8")
    table = json.loads(text)
    # the layout the shipped table is kept in: one-space indent, a final newline
    assert text == json.dumps(table, indent=1, ensure_ascii=False) + "\n"
    assert "at commit 0123abc:" in table.pop("_source")
    # compared as text, so the order of keys (sorted commands and flags) counts too
    assert json.dumps(table, indent=1) == json.dumps(EXPECTED, indent=1)
    assert "`koyeb services scale` has subcommands (show)" in result.stderr


def test_check_passes_on_the_same_table_and_shows_a_diff_otherwise(
    repo_root: Path, tmp_path: Path
) -> None:
    output = tmp_path / "table.json"
    assert run_script(repo_root, FIXTURE, output, "--commit", "0123abc").returncode == 0
    assert run_script(repo_root, FIXTURE, output, "--commit", "0123abc", "--check").returncode == 0

    edited = output.read_text("utf-8").replace('"dep"', '"depl"')
    output.write_text(edited, encoding="utf-8")
    result = run_script(repo_root, FIXTURE, output, "--commit", "0123abc", "--check")
    assert result.returncode == 1
    assert '-    "depl"' in result.stdout
    assert '+    "dep"' in result.stdout
    assert "differs" in result.stderr
    assert "fix: review the diff" in result.stderr
    assert output.read_text("utf-8") == edited  # --check writes nothing


def test_a_git_checkout_names_its_commit(repo_root: Path, checkout: Path) -> None:
    def git(*argv: str) -> str:
        identity = ["-c", "user.name=t", "-c", "user.email=t@example.invalid"]
        done = subprocess.run(
            ["git", *identity, *argv], cwd=checkout, capture_output=True, text=True, check=True
        )
        return done.stdout.strip()

    git("init", "-q")
    git("add", ".")
    git("commit", "-q", "-m", "fixture")
    output = checkout / "table.json"
    result = run_script(repo_root, checkout, output)
    assert result.returncode == 0, result.stderr
    source = json.loads(output.read_text("utf-8"))["_source"]
    assert f"at commit {git('rev-parse', 'HEAD')} (" in source
    assert "committed 20" in source

    (checkout / "pkg" / "koyeb" / "other.go").write_text("package koyeb\n", encoding="utf-8")
    result = run_script(repo_root, checkout, output)
    assert result.returncode == 1
    assert "uncommitted changes" in result.stderr


def test_a_plain_directory_needs_the_commit_named(repo_root: Path, checkout: Path) -> None:
    result = run_script(repo_root, checkout, checkout / "table.json")
    assert result.returncode == 1
    assert "not the top of a git work tree" in result.stderr
    assert "pass --commit SHA" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(
    ("path", "old", "new", "needles"),
    [
        pytest.param(
            "docs/reference.md",
            "--image string ",
            "--image-ref string ",
            ["disagree on the Options of `koyeb services create`", "--image-ref", "--image"],
            id="a flag the reader missed or misread",
        ),
        pytest.param(
            "pkg/koyeb/deployments.go",
            "cobra.ExactArgs(1)",
            "cobra.RangeArgs(1, 2)",
            ["`koyeb deployments get` has Args: cobra.RangeArgs(1,2)", "ARGS_OVERRIDES"],
            id="an argument count the table cannot hold",
        ),
        pytest.param(
            "pkg/koyeb/services.go",
            "cobra.MinimumNArgs(2)",
            "cobra.MinimumNArgs(1)",
            ["`koyeb services exec`", "written for cobra.MinimumNArgs(2)"],
            id="a stale override",
        ),
        pytest.param(
            "pkg/koyeb/services.go",
            "var since dates.HumanFriendlyDate",
            "var since dates.Moment",
            ["what --since (Moment", "CUSTOM_TYPES"],
            id="a custom type with no fixed values",
        ),
        pytest.param(
            "pkg/koyeb/services.go",
            'flags.Int("scale", 1, "Scale")',
            'flags.Float64("scale", 1, "Scale")',
            ["`koyeb services`", "unhandled FlagSet method Float64"],
            id="a flag kind the reader does not know",
        ),
        pytest.param(
            "pkg/koyeb/services.go",
            'flags.String("image", "", "Image")',
            'flags.String(imageFlag, "", "Image")',
            ["a flag name that is not a string literal"],
            id="a flag name it cannot read",
        ),
    ],
)
def test_what_the_reader_cannot_vouch_for_fails_the_run(
    repo_root: Path, checkout: Path, path: str, old: str, new: str, needles: list[str]
) -> None:
    changed = checkout / path
    text = changed.read_text("utf-8")
    assert old in text
    changed.write_text(text.replace(old, new, 1), encoding="utf-8")
    output = checkout / "table.json"
    result = run_script(repo_root, checkout, output, "--commit", "0123abc")
    assert result.returncode == 1
    for needle in needles:
        assert needle in result.stderr
    assert "why: " in result.stderr
    assert "fix: " in result.stderr
    assert not output.exists()
