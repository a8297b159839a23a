"""Check `koyeb ...` command lines against the official CLI's own flag table.

The table (`cachebust/data/koyeb-cli.json`) is the project's copy of what the `koyeb`
CLI accepts under `koyeb services ...` and `koyeb deployments ...`: command and
subcommand aliases, each flag's type, short form and aliases, and how many arguments
each command takes. `scripts/koyeb-cli-table` generates it from the CLI's Go source
(CONTRIBUTING.md says how). Parsing follows the CLI's flag library (pflag): `--flag value`,
`--flag=value`, `-a app`, `-aapp`, grouped boolean shorts, global flags anywhere and
`--` ending the flags.

```python
result = validate("koyeb service redeploy app/api --skip-cache")
assert isinstance(result, Invalid)
print(result.problems[0].message)
# unknown flag --skip-cache for `koyeb services redeploy`;
# it exists on: services create, services update

for line, verdict in validate_text(script):   # every koyeb command in a shell text
    ...
```

Other root commands (`koyeb login`, `koyeb apps ...`) are not in the table: they come
back as `Unvalidated`, neither accepted nor rejected, so callers decide.

`build_arg_in_docker_args(argv)` finds the original guide's mistake, `--docker-args
"--build-arg ..."`, which the table accepts on `koyeb service update`.
"""

from __future__ import annotations

from cachebust._koyeb_cli._commands import CommandLine, find_commands
from cachebust._koyeb_cli._misuse import DOCKER_ARGS_FLAGS, build_arg_in_docker_args
from cachebust._koyeb_cli._parse import (
    FlagUse,
    Invalid,
    KoyebCommand,
    Parsed,
    Problem,
    ProblemKind,
    Unvalidated,
    check,
    parse,
    validate,
    validate_text,
)
from cachebust._koyeb_cli._table import CommandSpec, FlagSpec, Table, table

__all__ = [
    "DOCKER_ARGS_FLAGS",
    "CommandLine",
    "CommandSpec",
    "FlagSpec",
    "FlagUse",
    "Invalid",
    "KoyebCommand",
    "Parsed",
    "Problem",
    "ProblemKind",
    "Table",
    "Unvalidated",
    "build_arg_in_docker_args",
    "check",
    "find_commands",
    "parse",
    "table",
    "validate",
    "validate_text",
]
