"""`cachebust doctor`: the guide's troubleshooting list as checks that run on any project.

```python
report = diagnose(Path("."), offline=True)
print("\\n".join(report.lines()))
assert report.ok          # nothing failed (warnings allowed)
```

What is checked where:

- the project: `[tool.cachebust]` in PATH's own pyproject.toml gives the Dockerfile
  (`dockerfile`), the build argument (`build-arg`, overridden by `arg`) and the
  service; without that table, `PATH/Dockerfile` is checked, the build argument is
  `arg` or the Dockerfile's one ARG whose name contains BUST, and there is no service
  to look up;
- `cachebust._doctor._dockerfile_checks`: the Dockerfile, with a real parser;
- `cachebust._doctor._workflow_checks`: `.github/workflows/*.yml`;
- `cachebust._doctor._remote`: the Koyeb API (skipped with `offline`).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from cachebust import _config as config
from cachebust._clock import Clock
from cachebust._doctor._dockerfile_checks import DockerfileTarget, check_dockerfile
from cachebust._doctor._report import Check, Report, Status, failed, passed, warned
from cachebust._doctor._workflow_checks import WorkflowTarget, check_workflows
from cachebust._errors import ConfigError, ConfigNotFound

if TYPE_CHECKING:
    import httpx

__all__ = ["Check", "Report", "Status", "diagnose"]

#: Used when no configuration names the Dockerfile: the Docker default.
DOCKERFILE_NAME = "Dockerfile"
#: Suggested in fixes when no configuration gives the build argument's default.
EXAMPLE_DEFAULT = "1"


def diagnose(
    path: Path,
    *,
    offline: bool = False,
    arg: str | None = None,
    environ: Mapping[str, str] | None = None,
    transport: httpx.BaseTransport | None = None,
    clock: Clock | None = None,
) -> Report:
    """Run every check on the project in `path`; the API is called unless `offline`."""
    try:
        root = path.resolve()
    except OSError as exc:  # a relative PATH in a working folder that was deleted
        raise ConfigError(
            what=f"Cannot check the folder {str(path)!r}.",
            why=f"Its full path cannot be found ({exc.strerror}); the current folder may have "
            "been deleted.",
            fix="Change to an existing folder and run the command again.",
        ) from None
    settings, config_check = _settings(root)
    dockerfile = settings.dockerfile if settings else DOCKERFILE_NAME
    name = arg or (settings.build_arg if settings else None)
    checks = [config_check]
    checks += check_dockerfile(
        DockerfileTarget(
            path=root / dockerfile,
            shown=dockerfile,
            arg=name,
            suggested_default=settings.build_arg_default if settings else EXAMPLE_DEFAULT,
        )
    )
    checks += check_workflows(
        WorkflowTarget(root, name, settings.target if settings else "APP/SERVICE")
    )
    if not offline:
        # Imported here: --offline needs neither httpx nor the client.
        from cachebust._doctor._remote import RemoteTarget, check_remote

        env = os.environ if environ is None else environ
        checks += check_remote(RemoteTarget(settings, env, transport, clock))
    notes = ("offline: the Koyeb API checks were skipped",) if offline else ()
    return Report(tuple(checks), notes)


def _settings(root: Path) -> tuple[config.Settings | None, Check]:
    own = root / "pyproject.toml"
    try:
        found = config.find_pyproject(root)
    except ConfigNotFound:
        found = None
    except ConfigError as exc:  # a pyproject.toml that cannot be read: this one, or above
        if own.is_file():
            return None, failed("config", f"{exc.what} {exc.why}", exc.fix, "pyproject.toml")
        found = None
    if found is None or found.parent != root:
        return None, warned(
            "config",
            f"No [tool.cachebust] table in {own}: checking "
            f"./{DOCKERFILE_NAME}, without a service to look up on Koyeb.",
            "Add [tool.cachebust] (app, service, dockerfile, build-arg, build-arg-default, "
            "api-url) to the project's pyproject.toml.",
        )
    try:
        settings = config.load(root)
    except ConfigError as exc:
        return None, failed("config", f"{exc.what} {exc.why}", exc.fix, "pyproject.toml")
    return settings, passed(
        "config",
        f"[tool.cachebust]: service {settings.target}, {settings.dockerfile}, "
        f"build argument {settings.build_arg}.",
        "pyproject.toml",
    )
