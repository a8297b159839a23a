"""Where the API token and the API base URL come from, the way the official CLI finds them.

One environment serves both tools: the token is `KOYEB_TOKEN`, else the `token:` key of
`$HOME/.koyeb.yaml` (what `koyeb login` writes); the base URL is `KOYEB_URL`, else the
`api-url` of `[tool.cachebust]`, else https://app.koyeb.com. There is deliberately no
way to pass a token as an argument: it would end up in shell history and `ps`.

```python
token = find_token()     # raises MissingToken when there is none
url = find_api_url()     # "https://app.koyeb.com"
```
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Mapping
from pathlib import Path

from cachebust import config
from cachebust.errors import ConfigError, MissingToken

TOKEN_ENV = "KOYEB_TOKEN"
URL_ENV = "KOYEB_URL"
CONFIG_NAME = ".koyeb.yaml"

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
        return token
    path = (home if home is not None else _home(env)) / CONFIG_NAME
    stored = _token_in(path)
    if stored:
        return stored
    raise MissingToken(
        what="No Koyeb API token found.",
        why=f"{TOKEN_ENV} is not set and {path} has no `token:` entry.",
        fix=_FIX,
    )


def find_api_url(environ: Mapping[str, str] | None = None) -> str:
    """The API base URL: `KOYEB_URL`, else `[tool.cachebust] api-url`, else the default."""
    env = os.environ if environ is None else environ
    configured = None
    if not env.get(URL_ENV, "").strip():  # read pyproject.toml only when it decides
        with contextlib.suppress(ConfigError):
            configured = config.load().api_url
    return api_url(env, configured)


def api_url(environ: Mapping[str, str], configured: str | None) -> str:
    """`KOYEB_URL` from `environ`, else `configured`, else the official CLI's default."""
    url = environ.get(URL_ENV, "").strip() or configured or config.DEFAULT_API_URL
    return url.rstrip("/")


def _home(env: Mapping[str, str]) -> Path:
    return Path(env["HOME"]) if env.get("HOME") else Path.home()


def _token_in(path: Path) -> str:
    # yaml is imported here so that commands which never need the file do not pay for it.
    import yaml

    try:
        text = path.read_text(encoding="utf-8")
    except (FileNotFoundError, NotADirectoryError):
        return ""
    except OSError as exc:
        raise MissingToken(
            what="No Koyeb API token found.",
            why=f"{TOKEN_ENV} is not set and {path} cannot be read ({exc.strerror}).",
            fix=_FIX,
        ) from None
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError:
        raise MissingToken(
            what="No Koyeb API token found.",
            why=f"{TOKEN_ENV} is not set and {path} is not valid YAML.",
            fix=_FIX,
        ) from None
    token = data.get("token") if isinstance(data, dict) else None
    return token.strip() if isinstance(token, str) else ""
