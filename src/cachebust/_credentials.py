"""Where the API token and the API base URL come from, the way the official CLI finds them.

One environment serves both tools: the token is `KOYEB_TOKEN`, else the `token:` key of
`$HOME/.koyeb.yaml` (what `koyeb login` writes); the base URL is `KOYEB_URL`, else the
`api-url` of `[tool.cachebust]`, else https://app.koyeb.com. There is deliberately no
way to pass a token as an argument: it would end up in shell history and `ps`.

A token must be printable ASCII without spaces (RFC 9110's field-vchar without
obs-text, which httpx cannot encode; RFC 6750's bearer credential has no spaces):
anything else, such as a pasted line break, is refused before any request, by its
position and kind, never by quoting it.

```python
token = find_token()     # raises MissingToken when there is none, InvalidToken for a bad one
url = find_api_url()     # "https://app.koyeb.com"
```
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Mapping
from pathlib import Path

from cachebust import _config as config
from cachebust._api_url import check_api_url
from cachebust._errors import ConfigNotFound, InvalidToken, MissingToken, shown

TOKEN_ENV = "KOYEB_TOKEN"
URL_ENV = "KOYEB_URL"
CONFIG_NAME = ".koyeb.yaml"

_FIX_ENV = (
    f"Set {TOKEN_ENV} again by pasting the token alone, on one line: "
    f"read -rs {TOKEN_ENV} && export {TOKEN_ENV}."
)
_FIX = (
    f"Export the token in {TOKEN_ENV} without typing it on the command line "
    f"(read -rs {TOKEN_ENV} && export {TOKEN_ENV}), or run `koyeb login`, which stores it "
    f"in $HOME/{CONFIG_NAME}."
)


def find_token(environ: Mapping[str, str] | None = None, home: Path | None = None) -> str:
    """The API token from `KOYEB_TOKEN`, else from `token:` in `$HOME/.koyeb.yaml`."""
    env = os.environ if environ is None else environ
    token = env.get(TOKEN_ENV, "").strip()
    if token:
        return check_token(token, TOKEN_ENV, fix=_FIX_ENV)
    path = (home if home is not None else _home(env)) / CONFIG_NAME
    stored = _token_in(path)
    if stored:
        return check_token(
            stored,
            f"The `token:` entry of {shown(path)}",
            fix=f"Correct the entry in {shown(path)}, or run `koyeb login` again.",
        )
    raise MissingToken(
        what="No Koyeb API token found.",
        why=f"{TOKEN_ENV} is not set and {shown(path)} has no `token:` entry.",
        fix=_FIX,
    )


def check_token(
    token: str,
    source: str,
    *,
    fix: str = "Pass the token as Koyeb issued it: printable ASCII, without spaces or line breaks.",
) -> str:
    """`token` if an HTTP header can carry it; else InvalidToken, which never quotes it."""
    if not token:
        raise InvalidToken(what=f"{source} is empty.", why="A token cannot be empty.", fix=fix)
    for position, char in enumerate(token, 1):
        if not "\x21" <= char <= "\x7e":
            raise InvalidToken(
                what=f"{source} is not a usable API token.",
                why=f"It contains {_kind(char)} at position {position}; an API token is "
                "printable ASCII without spaces, the only characters an HTTP header can carry.",
                fix=fix,
            )
    return token


def find_api_url(environ: Mapping[str, str] | None = None) -> str:
    """The API base URL: `KOYEB_URL`, else `[tool.cachebust] api-url`, else the default."""
    env = os.environ if environ is None else environ
    configured = None
    if not env.get(URL_ENV, "").strip():  # read pyproject.toml only when it decides
        # Outside a project the default applies; a project's broken table is reported.
        with contextlib.suppress(ConfigNotFound):
            configured = config.load().api_url
    return api_url(env, configured)


def api_url(environ: Mapping[str, str], configured: str | None) -> str:
    """`KOYEB_URL` from `environ`, else `configured`, else the official CLI's default.

    `configured` comes from `config.load()`, which has checked it already.
    """
    from_env = environ.get(URL_ENV, "").strip()
    url = check_api_url(from_env, URL_ENV) if from_env else configured or config.DEFAULT_API_URL
    return url.rstrip("/")


def _home(env: Mapping[str, str]) -> Path:
    return Path(env["HOME"]) if env.get("HOME") else Path.home()


def _kind(char: str) -> str:
    if char in "\r\n":
        return "a line break"
    if char in " \t":
        return "a space or tab"
    return "a control character" if char.isascii() else "a non-ASCII character"


def _token_in(path: Path) -> str:
    # yaml is imported here so that commands which never need the file do not pay for it.
    from cachebust._yaml import safe_load

    def unusable(reason: str) -> MissingToken:
        return MissingToken(
            what="No Koyeb API token found.",
            why=f"{TOKEN_ENV} is not set and {shown(path)} {reason}.",
            fix=_FIX,
        )

    try:
        if path.exists() and not path.is_file():
            raise unusable("is not a regular file")  # a FIFO would block the read forever
        text = path.read_bytes().decode("utf-8")
    except (FileNotFoundError, NotADirectoryError):
        return ""
    except OSError as exc:
        raise unusable(f"cannot be read ({exc.strerror})") from None
    except UnicodeDecodeError:
        raise unusable("is not UTF-8 text") from None
    try:
        data = safe_load(text)
    # Not only YAMLError: PyYAML raises ValueError for a bad date, AttributeError for a bad
    # !!timestamp, RecursionError for deep nesting. The file is input; nothing may escape.
    except Exception:
        raise unusable("is not valid YAML") from None
    token = data.get("token") if isinstance(data, dict) else None
    if token is not None and not isinstance(token, str):
        raise unusable("has a `token:` entry that is not text")
    return token.strip() if token else ""
