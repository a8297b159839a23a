"""What an API base URL may look like, checked before any request is sent.

`http://` or `https://`, a host (a DNS name, an IPv4 address, or an IPv6 address in
brackets), an optional port and path; printable ASCII only (a non-ASCII host goes in
its `xn--` form), no user name or password, no query or fragment. Whatever passes is a
URL httpx accepts, so a bad `KOYEB_URL` or `api-url` is a usage error, not a failure
deep inside a request.

```python
check_api_url("https://app.koyeb.com", "KOYEB_URL")   # returned as given
check_api_url("ftp://x", "KOYEB_URL")                 # raises ConfigError
```
"""

from __future__ import annotations

import ipaddress
import re
from urllib.parse import urlsplit

from cachebust._errors import ConfigError

_NAME = re.compile(r"[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*\.?")
# httpx reads four dot-separated numbers as an IPv4 address and refuses an invalid one.
_IPV4_STYLE = re.compile(r"[0-9]+\.[0-9]+\.[0-9]+\.[0-9]+")


def check_api_url(url: str, source: str) -> str:
    """`url` if it is a usable API base URL; else ConfigError naming `source` and the flaw."""
    flaw = _flaw(url)
    if flaw:
        # The URL itself is not repeated: it may hold a password, and the flaw says enough.
        raise ConfigError(
            what=f"{source} is not a usable API URL.",
            why=f"It {flaw}. The API's base URL is http:// or https:// followed by a host "
            "and an optional port and path, such as https://app.koyeb.com.",
            fix=f"Correct {source}, or unset it to use the default, https://app.koyeb.com.",
        )
    return url


def _flaw(url: str) -> str:
    for position, char in enumerate(url, 1):
        if not "\x21" <= char <= "\x7e":
            kind = "a space or a control character" if char.isascii() else "a non-ASCII character"
            return f"contains {kind} at position {position}"
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018  (raises ValueError when the port is not a number in range)
    except ValueError:
        return "has an invalid host or port"
    if parts.scheme not in ("http", "https"):
        return "does not start with http:// or https://"
    if "@" in parts.netloc:
        return "holds a user name or password"
    if parts.query or parts.fragment or url.endswith(("?", "#")):
        return "has a query or a fragment"
    host = parts.hostname or ""
    if not host:
        return "has no host"
    if not _valid_host(host, bracketed=parts.netloc.startswith("[")):
        return "has an invalid host"
    return ""


def _valid_host(host: str, *, bracketed: bool) -> bool:
    try:
        if bracketed:
            ipaddress.IPv6Address(host)
        elif _IPV4_STYLE.fullmatch(host):
            ipaddress.IPv4Address(host)
    except ValueError:
        return False
    return bracketed or _NAME.fullmatch(host) is not None
