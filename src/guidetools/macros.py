"""The macros module: the guide's shared values, from `[tool.cachebust]` only.

`mkdocs.yml` names it under the macros plugin's `modules:`, which imports an installed
package (`module_name:` would look for a file beside `mkdocs.yml`); Zensical's macros
extension reads the same entry and calls the same `define_env`. Values are read from
the `pyproject.toml` of the project being built, found from the directory of its
`mkdocs.yml` (both builders' `project_dir`), not from the current directory.

Pages use the variables `app`, `service`, `target`, `dockerfile`, `build_context`,
`build_arg`, `build_arg_default` and `api_url`, and the macros `dockerfile_lines()`,
`config_table()` and `exit_codes()`, and the CI/CD page `action_inputs()` and
`action_outputs()` (the tables of `action.yml`, so they cannot drift from it):
`page_globals()` holds them all, so the doc-tests render pages with the same names
without either builder's plugin system (`guidetools.render`).

A page that states Koyeb's behaviour cites the platform contract
(`guidetools.contract`) with `{{ contract("api-list-order") }}` (several anchors:
`{{ contract("api-a", "api-b") }}`): a link to the entry on the contract page and, for an
entry no source states, its marker. An unknown anchor fails the build. The contract page
itself uses `contract_sources()`, `contract_entries()` and `contract_assumptions()`,
the monitoring page `deployment_statuses()`, and the two diagrams (`guidetools.diagrams`)
`deployment_diagram()` and `layers_diagram()`.
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any, Protocol

import jinja2
from markdown.extensions.toc import slugify  # type: ignore[import-untyped]

from cachebust import _errors
from cachebust._config import Settings, load
from cachebust._dockerfile import parse_dockerfile
from cachebust._errors import TROUBLESHOOTING_PAGE, CachebustError, ConfigError, ExitCode
from guidetools import contract_markdown, diagrams, yaml_files
from guidetools.contract import load as load_contract

# What each [tool.cachebust] key is for, in the order of the table: (key, attribute, use).
_KEYS = (
    ("app", "app", "Koyeb app that holds the service."),
    ("service", "service", "Koyeb service to rebuild, watch and read logs from."),
    ("dockerfile", "dockerfile", "Dockerfile with the cache-bust `ARG`, relative to the project."),
    ("build-arg", "build_arg", "Name of the cache-bust build argument in that Dockerfile."),
    ("build-arg-default", "build_arg_default", "Its default, used when a build passes none."),
    ("api-url", "api_url", "Koyeb API base URL, unless `KOYEB_URL` names another."),
)


class MacrosEnv(Protocol):
    """What `define_env` uses of its argument: mkdocs-macros' plugin, or Zensical's
    `MacroEnv`."""

    @property
    def project_dir(self) -> str: ...

    @property
    def variables(self) -> dict[str, Any]: ...

    def macro(self, v: Any, name: str = "") -> Any: ...


def variables(settings: Settings) -> dict[str, str]:
    """The page variables for one project's settings."""
    return {
        "app": settings.app,
        "service": settings.service,
        "target": settings.target,
        "dockerfile": settings.dockerfile,
        "build_context": str(PurePosixPath(settings.dockerfile).parent),
        "build_arg": settings.build_arg,
        "build_arg_default": settings.build_arg_default,
        "api_url": settings.api_url,
    }


@dataclass(frozen=True, slots=True)
class BustLines:
    """1-based line numbers in the Dockerfile, for highlighting the technique."""

    arg: int
    run: int
    copy: int


def dockerfile_lines(settings: Settings) -> BustLines:
    """The cache-bust `ARG`, the first `RUN` after it, and the first `COPY` after it."""
    text = (settings.root / settings.dockerfile).read_text(encoding="utf-8")
    found: dict[str, int] = {}
    for stage in parse_dockerfile(text).stages:
        for instruction in stage.instructions:
            if "arg" not in found:
                if instruction.declares(settings.build_arg):
                    found["arg"] = instruction.line
            elif instruction.kind in ("RUN", "COPY") and instruction.kind.lower() not in found:
                found[instruction.kind.lower()] = instruction.line
    if set(found) != {"arg", "run", "copy"}:
        raise ConfigError(
            what=f"{settings.dockerfile} does not have the cache-bust layout the guide shows.",
            why=f"Expected ARG {settings.build_arg}, then a RUN and a COPY; found {sorted(found)}.",
            fix=f"Declare ARG {settings.build_arg}={settings.build_arg_default} after the "
            "dependency layers, consume it in a RUN, then COPY the source.",
        )
    return BustLines(**found)


def config_table(settings: Settings) -> str:
    """`[tool.cachebust]` as a Markdown table: key, current value, what it is for."""
    rows = ["| Key | Value | What it is for |", "|---|---|---|"]
    rows += [f"| `{key}` | `{getattr(settings, attr)}` | {use} |" for key, attr, use in _KEYS]
    return "\n".join(rows)


def action_table(settings: Settings, part: str) -> str:
    """The `inputs` or `outputs` of the project's `action.yml` as a Markdown table."""
    action = yaml_files.load(settings.root / "action.yml")
    items: dict[str, dict[str, Any]] = action[part]
    if part == "inputs":
        rows = ["| Input | Default | What it is for |", "|---|---|---|"]
        for name, spec in items.items():
            default = str(spec.get("default", ""))
            shown = f"`{default}`" if default else "(empty)"
            rows.append(f"| `{name}` | {shown} | {_cell(spec['description'])} |")
    else:
        rows = ["| Output | What it holds |", "|---|---|"]
        rows += [f"| `{name}` | {_cell(spec['description'])} |" for name, spec in items.items()]
    return "\n".join(rows)


def _cell(text: str) -> str:
    return " ".join(str(text).split()).replace("|", "\\|")


def troubleshooting_entries(settings: Settings) -> dict[str, str]:
    """The troubleshooting page's sections: anchor (as MkDocs' toc makes it) -> title."""
    text = (settings.root / TROUBLESHOOTING_PAGE).read_text(encoding="utf-8")
    titles = [line[3:].strip() for line in text.splitlines() if line.startswith("## ")]
    return {_anchor(title): title for title in titles}


def _anchor(title: str) -> str:
    """A heading's anchor: the `toc` extension's own slugify of its text without the
    Markdown marks (tests/site compares these with the built page's ids)."""
    anchor: str = slugify(re.sub(r"[`*]", "", title), "-")
    return anchor


def exit_codes(settings: Settings, page: str | None) -> str:
    """The CLI's exit codes as a Markdown table: each code with the description `--help`
    prints (`ExitCode`), the errors of `cachebust._errors` that exit with it, and their
    entries on the troubleshooting page (`CachebustError.troubleshooting`), linked from
    `page`. An anchor the page lacks fails the build."""
    entries = troubleshooting_entries(settings)
    errors = [
        value
        for value in vars(_errors).values()
        if isinstance(value, type) and issubclass(value, CachebustError)
    ]
    target = str(PurePosixPath(TROUBLESHOOTING_PAGE).relative_to("docs"))
    link = posixpath.relpath(target, posixpath.dirname(page)) if page else target
    rows = ["| Code | Meaning | Errors | Troubleshooting |", "|---|---|---|---|"]
    for code in ExitCode:
        raised = [error for error in errors if error.exit_code is code]
        anchors = list(dict.fromkeys(e.troubleshooting for e in raised if e.troubleshooting))
        for anchor in anchors:
            if anchor not in entries:
                raise ConfigError(
                    what=f"No troubleshooting entry #{anchor}.",
                    why=f"An error class names it, and {TROUBLESHOOTING_PAGE} has no heading "
                    "with that anchor.",
                    fix="Rename the error's `troubleshooting` anchor, or add the entry.",
                )
        names = ", ".join(f"`{error.__name__}`" for error in raised)
        see = "<br>".join(f"[{entries[a]}]({link}#{a})" for a in anchors)
        rows.append(f"| {code.value} | {code.__doc__} | {names} | {see} |")
    return "\n".join(rows)


def page_globals(settings: Settings) -> dict[str, Any]:
    """Every name a page sees from this module: the variables, then the macros."""
    contract = load_contract()

    @jinja2.pass_context
    def cite(context: jinja2.runtime.Context, *anchors: str) -> str:
        return contract_markdown.citation(contract, anchors, _page(context))

    @jinja2.pass_context
    def statuses(context: jinja2.runtime.Context) -> str:
        return contract_markdown.status_table(contract, _page(context))

    @jinja2.pass_context
    def deployment_diagram(context: jinja2.runtime.Context) -> str:
        return diagrams.deployment_path(settings, contract, _page(context))

    @jinja2.pass_context
    def layers_diagram(context: jinja2.runtime.Context) -> str:
        miss = dockerfile_lines(settings).run
        return diagrams.image_layers(settings, contract, _page(context), miss)

    @jinja2.pass_context
    def codes(context: jinja2.runtime.Context) -> str:
        return exit_codes(settings, _page(context))

    return {
        **variables(settings),
        "dockerfile_lines": lambda: dockerfile_lines(settings),
        "config_table": lambda: config_table(settings),
        "action_inputs": lambda: action_table(settings, "inputs"),
        "action_outputs": lambda: action_table(settings, "outputs"),
        "exit_codes": codes,
        "contract": cite,
        "deployment_statuses": statuses,
        "deployment_diagram": deployment_diagram,
        "layers_diagram": layers_diagram,
        "contract_sources": lambda: contract_markdown.sources(contract),
        "contract_entries": lambda: contract_markdown.entries(contract),
        "contract_assumptions": lambda: contract_markdown.assumptions(contract),
    }


def define_env(env: MacrosEnv) -> None:
    """The macros entry point of mkdocs-macros, and of Zensical's macros extension."""
    for name, value in page_globals(load(Path(env.project_dir))).items():
        if callable(value):
            env.macro(value, name)
        else:
            env.variables[name] = value


def _page(context: jinja2.runtime.Context) -> str | None:
    """The page being built (its path under docs/), or None outside a site build.

    MkDocs' page names it `file.src_uri`; Zensical's, `path`.
    """
    page = context.get("page")
    if page is None:
        return None
    source = page.file.src_uri if hasattr(page, "file") else page.path
    return str(source)
