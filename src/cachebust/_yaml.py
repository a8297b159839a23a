"""YAML as cachebust reads it (workflows, `action.yml`, the Koyeb CLI's configuration):
PyYAML's safe loader, run by libyaml when PyYAML has it, as its wheels on PyPI do. The
pure-Python parser takes 10 ms for the deploy workflow here, libyaml 1.2 ms, and
`doctor` reads every workflow of a repository."""

from __future__ import annotations

from typing import Any

import yaml

#: The safe loader, in C where PyYAML was built with libyaml: the same constructors,
#: so the same types and the same `yaml.YAMLError`s, and libyaml's own nesting limit.
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def safe_load(text: str) -> Any:
    """`yaml.safe_load(text)`, on libyaml where there is one."""
    return yaml.load(text, Loader=_LOADER)
