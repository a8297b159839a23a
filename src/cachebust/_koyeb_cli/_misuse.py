"""Command lines the CLI accepts but that do not do what their author meant.

The original guide passed Docker build arguments through `--docker-args` (or its
`--git-docker-args` / `--archive-docker-args` siblings). Koyeb's API has no field for
build arguments at all (contract: api-no-build-args). `--git-docker-args` and
`--archive-docker-args` set the built image's run-time CMD arguments (contract:
cli-git-docker-args); `--docker-args`, like any `--docker*` flag on `koyeb service
update`, switches a git-built service to an image-less Docker source (contract:
cli-update-docker-flags-switch-source). The flag table accepts these lines on `koyeb
service update`, so a validator has to look for them separately.
"""

from __future__ import annotations

from collections.abc import Sequence

#: Every spelling of the CMD-arguments flags, aliases included.
DOCKER_ARGS_FLAGS = frozenset(
    f"--{spelling}"
    for name in ("docker-args", "git-docker-args", "archive-docker-args")
    for spelling in (name, name.removesuffix("s"))
)


def build_arg_in_docker_args(argv: Sequence[str]) -> str | None:
    """The flag (as spelled) whose value passes `--build-arg`, or None."""
    for index, word in enumerate(argv):
        flag, equals, value = word.partition("=")
        if flag not in DOCKER_ARGS_FLAGS:
            continue
        if not equals:
            value = argv[index + 1] if index + 1 < len(argv) else ""
        if "--build-arg" in value:
            return flag
    return None
