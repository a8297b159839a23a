"""`cachebust.__all__` is the public API: every name resolves and nothing else is public."""

from __future__ import annotations

import cachebust


def test_all_is_sorted_and_resolves() -> None:
    assert cachebust.__all__ == sorted(cachebust.__all__)
    for name in cachebust.__all__:
        assert getattr(cachebust, name) is not None, name


def test_dir_matches_all() -> None:
    assert dir(cachebust) == cachebust.__all__


def test_unknown_name_raises_attribute_error() -> None:
    try:
        cachebust.NotAThing  # type: ignore[attr-defined]  # noqa: B018
    except AttributeError as exc:
        assert "NotAThing" in str(exc)
    else:
        raise AssertionError("cachebust.NotAThing should not exist")


def test_every_module_but_the_public_ones_is_private() -> None:
    from pathlib import Path

    root = Path(cachebust.__file__).parent
    # The public names live in __all__; the only other public module is pytest's entry point.
    entry_points = {Path("fake/pytest_plugin.py")}
    exposed = [
        str(relative)
        for relative in (path.relative_to(root) for path in root.rglob("*.py"))
        if relative not in entry_points and not any(p.startswith("_") for p in relative.parts)
    ]
    assert exposed == []
