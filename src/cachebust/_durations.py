"""Durations as people type them on the command line: `90s`, `10m`, `1h30m`, `2.5m`.

```python
parse_duration("1h30m")   # 5400.0
format_duration(185.0)    # "3m05s"
```
"""

from __future__ import annotations

import re

from cachebust._errors import ConfigError

_UNITS = {"h": 3600.0, "m": 60.0, "s": 1.0}
#: The longest duration accepted: a year. Longer ones would overflow date arithmetic
#: (`--since 99999999h` reaches before year 1) and mean nothing for a wait or a log window.
MAX_SECONDS = 8760 * 3600.0
_PART = re.compile(r"(\d+(?:\.\d+)?)([hms])")


def parse_duration(text: str) -> float:
    """Seconds in `text`: a sequence of NUMBER+UNIT (h, m, s), or a bare number of seconds."""
    value = text.strip().lower()
    try:
        seconds = float(value)
    except ValueError:
        parts = _PART.findall(value)
        if not parts or "".join(number + unit for number, unit in parts) != value:
            raise _invalid(text) from None
        seconds = sum(float(number) * _UNITS[unit] for number, unit in parts)
    if not 0 < seconds <= MAX_SECONDS:  # also refuses nan and inf
        raise _invalid(text)
    return seconds


def format_duration(seconds: float) -> str:
    """`seconds` the way `parse_duration` reads it back, e.g. `45s`, `3m05s`, `1h02m00s`."""
    whole = round(seconds)
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{hours}h{minutes:02d}m{secs:02d}s"
    if minutes:
        return f"{minutes}m{secs:02d}s"
    return f"{secs}s"


def _invalid(text: str) -> ConfigError:
    return ConfigError(
        what=f"Invalid duration {text!r}.",
        why="A duration is a positive number followed by h, m or s, such as 90s, 10m or 1h30m, "
        "and at most 8760h (a year).",
        fix="Pass a value such as --timeout 10m or --since 15m.",
    )
