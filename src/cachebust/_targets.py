"""What an `APP/SERVICE` argument may look like, checked before any request is sent.

Accepted, as by the official CLI: `app/service` (the app given by name or by id) or a
service id (a lowercase UUIDv4). Short ids are not accepted: matching them means
listing every service the token can see, which is what this tool avoids.

```python
parse_target("my-app/web")   # ServiceRef(app="my-app", service="web", service_id="")
is_uuid("0b6f...")            # True for a lowercase UUIDv4
```
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from cachebust._errors import InvalidTarget

_UUID4 = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}")
_PART = re.compile(r"[^/\s]+")

FORMATS = (
    "APP/SERVICE with the app's name or id and the service's name (for example my-app/web), "
    "or the service's id (a lowercase UUID)"
)


def is_uuid(text: str) -> bool:
    """Whether `text` is a lowercase UUIDv4, the form Koyeb ids take."""
    return _UUID4.fullmatch(text) is not None


@dataclass(frozen=True, slots=True)
class ServiceRef:
    """A parsed `APP/SERVICE`: either `app` and `service`, or `service_id`."""

    app: str = ""
    service: str = ""
    service_id: str = ""


def parse_target(text: str) -> ServiceRef:
    """Split `text` into app and service, or recognise a service id; raise InvalidTarget."""
    if is_uuid(text):
        return ServiceRef(service_id=text)
    app, slash, service = text.partition("/")
    if slash and _is_name(app) and _is_name(service):
        return ServiceRef(app=app, service=service)
    raise InvalidTarget(
        what=f"Invalid service name {text!r}.",
        why=f"A service is given as {FORMATS}.",
        fix="Pass it as APP/SERVICE, or set app and service in [tool.cachebust] "
        "and leave the argument out.",
    )


def _is_name(part: str) -> bool:
    # Printable too, so that a control character or a byte that is not UTF-8 (from argv
    # or a config file) is refused here rather than failing to encode in a request.
    return _PART.fullmatch(part) is not None and part.isprintable()
