"""Command lines the CLI accepts but that do not do what their author meant.

The original guide passed Docker build arguments through `--docker-args` (or its
`--git-docker-args` / `--archive-docker-args` siblings). Those flags set the
container's runtime CMD arguments (`definition.docker.args`, `git.docker.args`,
`archive.docker.args`); Koyeb's API has no field for build arguments at all. On
`koyeb service update` the flag table accepts the line, so a validator has to look
for this separately.
"""

from __future__ import annotations

from collections.abc import Sequence

#: Every spelling of the runtime-arguments flags, aliases included.
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
