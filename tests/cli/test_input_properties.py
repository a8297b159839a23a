"""Property test: whatever a user types or leaves around, the CLI never ends in a traceback.

Each input surface gets generated values: the arguments and options of every command,
the environment (KOYEB_TOKEN, KOYEB_URL, HOME, NO_COLOR, TERM, the working folder),
`$HOME/.koyeb.yaml` and `[tool.cachebust]` in pyproject.toml. Every run goes through
the real CLI entry (Click's runner on `cachebust.cli.root`) against the fake Koyeb API
on loopback, and must end with an exit code from the documented table, an error in
three parts (or Click's own usage error), no traceback and no exception, and no part
of a secret in the output.

Examples mostly change one input at a time and keep the others working, so that an
odd value reaches the code behind the argument parsing. Generated URLs are the fake's
own (loopback) or invalid by construction, so no input can send a request elsewhere;
the proxy every run is given, a loopback listener that counts connections, checks it.

The budget is fixed (EXAMPLES per surface, a few seconds in all) and the examples are
derandomized with no database, so every run checks the same inputs and a failure
reproduces by running the test again. TERM and NO_COLOR matter only on a terminal:
tests/cli/test_subprocess.py drives them through a pseudo-terminal.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import signal
import socket
import tempfile
import threading
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from cachebust import _config as config
from cachebust._errors import ExitCode
from cachebust.cli import root
from cachebust.fake import FakeKoyeb, FakeServer

REPO = Path(__file__).resolve().parents[2]
SETTINGS = config.load(REPO)
#: A project's [tool.cachebust] that works: the repository's, pointing at the fake.
_WORKING = {
    "app": SETTINGS.app,
    "service": SETTINGS.service,
    "dockerfile": SETTINGS.dockerfile,
    "build-arg": SETTINGS.build_arg,
    "build-arg-default": SETTINGS.build_arg_default,
    "api-url": "{url}",
}

#: Examples per surface: together the tests take a few seconds.
EXAMPLES = 60

PROPERTY = settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    print_blob=False,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

#: Wrapped around generated secrets: neither may ever appear in the output.
SECRET_HEAD, SECRET_TAIL = "Zq7XkTOK", "WvQ9jEND"

_EXIT_CODES = {code.value for code in ExitCode}
_THREE_PARTS = re.compile(r"Error: [^\n]+\n  Why: [^\n]+\n  Fix: [^\n]+\n")
# Click's own usage errors quote the offending value as it is, line breaks included.
_CLICK_USAGE = re.compile(r"(?s)Usage: .*\nTry '[^\n]+ --help' for help\.\n\nError: .+\n")


# -- the world each example runs in ----------------------------------------------------


class _Proxy:
    """A loopback listener standing in as HTTP(S)_PROXY: counts connections, answers none."""

    def __init__(self) -> None:
        self._sock = socket.create_server(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self._sock.getsockname()[1]}"
        self.connections = 0
        self._thread = threading.Thread(target=self._accept, daemon=True)
        self._thread.start()

    def _accept(self) -> None:
        with contextlib.suppress(OSError):
            while True:
                conn, _ = self._sock.accept()
                self.connections += 1
                conn.close()

    def close(self) -> None:
        self._sock.close()


@dataclass
class Served:
    """The fake on loopback, its clock frozen, and the proxy, shared by a module's examples.

    No example changes the fake (a rebuild here is a --dry-run: a real one would leave a
    deployment that later examples wait for), so each example sees the same organization
    and stays reproducible, without paying for a server of its own.
    """

    server: FakeServer
    proxy: _Proxy

    @property
    def fake(self) -> FakeKoyeb:
        return self.server.fake


@pytest.fixture(scope="module")
def served() -> Iterator[Served]:
    fake = FakeKoyeb(settings=SETTINGS)
    proxy = _Proxy()
    try:
        with FakeServer(fake, speed=0) as server:
            yield Served(server, proxy)
    finally:
        proxy.close()
    assert not fake.contract_violations, fake.contract_violations


@dataclass
class World:
    """The served fake, plus an empty HOME and a project folder of one example's own."""

    served: Served
    home: Path
    project: Path
    secrets: list[str] = field(default_factory=list)

    @property
    def fake(self) -> FakeKoyeb:
        return self.served.fake

    def fill(self, text: str) -> str:
        """Replace the placeholders a strategy used for values known only at run time."""
        server = self.served.server
        return (
            text.replace("{url}", server.url)
            .replace("{port}", str(server.port))
            .replace("{home}", str(self.home))
            .replace("{project}", str(self.project))
            .replace("{service_id}", self.fake.service_id)
            .replace("{app_id}", self.fake.app_id)
            .replace("{target}", SETTINGS.target)
            .replace("{token}", self.fake.token)
            .replace("{deployment_id}", self.fake.service()["latest_deployment_id"])
        )

    def run(
        self, args: list[str], env: Mapping[str, str | None] | None = None, cwd: str = "{project}"
    ) -> Result:
        """`cachebust ARGS` in `cwd`; checks every property of the outcome.

        `cwd` is a folder (placeholders allowed) or "<deleted>": one removed after
        changing to it, as when a shell stays in a folder another process deletes.
        """
        proxy = self.served.proxy
        environ: dict[str, str | None] = {
            "KOYEB_URL": self.served.server.url,
            "KOYEB_TOKEN": self.fake.token,
            "HOME": str(self.home),
            "NO_COLOR": "1",
            "TERM": None,
            "ALL_PROXY": proxy.url,
            "NO_PROXY": "127.0.0.1,localhost,::1",
            **{name: None for name in ("HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy")},
            **(env or {}),
        }
        filled = [self.fill(arg) for arg in args]
        before = proxy.connections
        with self._inside(cwd):
            result = CliRunner().invoke(root, filled, env=environ)
        check(filled, result, [self.fake.token, *self.secrets])
        assert proxy.connections == before, f"{filled} contacted a non-loopback address"
        return result

    @contextlib.contextmanager
    def _inside(self, cwd: str) -> Iterator[None]:
        if cwd != "<deleted>":
            with contextlib.chdir(self.fill(cwd)):
                yield
            return
        gone = self.home.parent / "gone"
        gone.mkdir()
        with contextlib.chdir(gone):
            gone.rmdir()
            yield


@contextlib.contextmanager
def world(served: Served) -> Iterator[World]:
    """A World whose project has a working [tool.cachebust], pointing at the fake."""
    with tempfile.TemporaryDirectory() as tmp:
        home, project = Path(tmp, "home"), Path(tmp, "project")
        home.mkdir()
        project.mkdir()
        table = {**_WORKING, "api-url": served.server.url}
        body = "".join(f"{key} = {_toml(value)}\n" for key, value in table.items())
        (project / "pyproject.toml").write_text("[tool.cachebust]\n" + body)
        yield World(served, home, project)


def check(args: list[str], result: Result, secrets: list[str]) -> None:
    """The properties every run must have, whatever its input."""
    shown = f"cachebust {args!r} exited {result.exit_code}:\n{result.stdout}{result.stderr}"
    output = result.stdout + result.stderr
    assert "Traceback (most recent call last)" not in output, shown
    assert result.exception is None or isinstance(result.exception, SystemExit), (
        f"{shown}\nraised {result.exception!r}"
    )
    assert result.exit_code in _EXIT_CODES, shown
    for secret in secrets:
        assert secret not in output, f"a secret leaked: {shown}"
    for mark in (SECRET_HEAD, SECRET_TAIL):
        assert mark not in output, f"part of a secret leaked: {shown}"
    stderr = result.stderr
    if result.exit_code == ExitCode.OK:
        assert "Error:" not in stderr, shown
    elif result.exit_code == ExitCode.CHECKS_FAILED:
        assert args[0] == "doctor" and not stderr, shown
    elif result.exit_code == ExitCode.USAGE and _click_usage(args, stderr):
        pass  # Click's own usage error, or its help when no command is given
    else:
        assert _THREE_PARTS.fullmatch(stderr), shown


def _click_usage(args: list[str], stderr: str) -> bool:
    if not args:
        return stderr.startswith("Usage: ")
    return _CLICK_USAGE.fullmatch(stderr) is not None


def _toml(value: Any) -> str:
    """`value` as a TOML value (json.dumps writes valid TOML basic strings)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return json.dumps(value)
    if isinstance(value, float):
        return {"inf": "inf", "-inf": "-inf", "nan": "nan"}.get(repr(value), repr(value))
    if isinstance(value, list):
        return "[" + ", ".join(_toml(item) for item in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{json.dumps(k)} = {_toml(v)}" for k, v in value.items()) + "}"
    return str(value)


# -- strategies ------------------------------------------------------------------------

_NO_NUL = st.characters(blacklist_categories=["Cs"], blacklist_characters="\x00")

#: What argv and the environment can hold: any bytes but NUL, decoded as Python does.
os_text = st.one_of(
    st.text(_NO_NUL, max_size=12),
    st.binary(max_size=12).map(lambda raw: os.fsdecode(raw.replace(b"\x00", b""))),
)

#: Characters an HTTP header or a URL cannot carry as they are.
_BAD_CHARS = st.one_of(
    st.sampled_from(["\n", "\r", "\t", " ", "\x7f", "\x01", "\x1b", "é", "\u2028", "\udcff"]),
    st.characters(min_codepoint=0x80, blacklist_categories=["Cs"]),
    st.characters(max_codepoint=0x1F, blacklist_characters="\x00"),
)


@st.composite
def _inserted(draw: st.DrawFn, base: str) -> str:
    """`base` with a character no URL or header may hold inserted inside it.

    Not at either end, where stripping the value would remove it.
    """
    at = draw(st.integers(1, len(base) - 1))
    return base[:at] + draw(_BAD_CHARS) + base[at:]


#: A URL that reaches the fake (placeholders filled by World.fill) or that is invalid by
#: construction: never one that would reach another host.
urls = st.one_of(
    st.sampled_from(
        [
            "{url}",
            "{url}/",
            "{url}//",
            "{url}/prefix",
            "HTTP://127.0.0.1:{port}",
            "http://localhost:{port}",
            "",
            " ",
            "ftp://127.0.0.1:{port}",
            "file:///etc/passwd",
            "127.0.0.1:{port}",
            "//127.0.0.1:{port}",
            "http://",
            "http:///v1",
            "http://:{port}",
            "http://[::1",
            "http://[zz]:{port}",
            "http://127.0.0.1:99999",
            "http://127.0.0.1:-1",
            "http://127.0.0.1:port",
            "http://999.0.0.1:{port}",
            "http://user:pw@127.0.0.1:{port}",
            "{url}?x=1",
            "{url}#top",
            "https://app.koyeb.com:0x50",
        ]
    ),
    # Any scheme but https, which would be a TLS handshake with the fake's plain HTTP.
    os_text.filter(lambda scheme: scheme.strip().lower() != "https").map(
        lambda scheme: f"{scheme}://127.0.0.1:{{port}}"
    ),
    _inserted("{url}"),
    _inserted("https://app.koyeb.com"),
    os_text.map(lambda text: text.replace("/", "")),  # no "//", so no host
)

_numbers = st.one_of(
    st.sampled_from(
        ["0", "-0", "-1", ".5", "5.", "1e3", "1e20", "1e308", "1e-300", "nan", "inf", "0x10"]
    ),
    st.sampled_from(["1_0", "١٢", "99999999", "999999999999"]),
    st.integers(-5, 10**6).map(str),
    st.integers(10**6, 10**400).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
)
durations = st.one_of(
    st.lists(
        st.tuples(_numbers, st.sampled_from(["", "h", "m", "s", "d", "ms", " s"])).map("".join),
        min_size=1,
        max_size=3,
    ).map("".join),
    os_text,
)

targets = st.one_of(
    st.sampled_from(
        [
            "",
            " ",
            "{target}",
            "{service_id}",
            "{app_id}/" + SETTINGS.service,
            "{deployment_id}",
            "app/web",
            "api",
            "/",
            "a/",
            "/b",
            "a/b/c",
            "a b/c",
            "-x",
            "--",
            "a\n/b",
            "é/ü",
            "../../v1/apps",
            SETTINGS.app + "/\udcff",
        ]
    ),
    os_text,
)
_deployment_ids = st.one_of(
    st.sampled_from(["{deployment_id}", "", "../../v1/apps", "?limit=1", "0" * 36]), os_text
)


@dataclass(frozen=True)
class Slot:
    """One argument or option of a command: the values that work, and the rest."""

    valid: st.SearchStrategy[list[str]]
    weird: st.SearchStrategy[list[str]]


def _option(flag: str, valid: list[str], weird: st.SearchStrategy[str]) -> Slot:
    return Slot(
        st.sampled_from([[], *([flag, value] for value in valid)]),
        weird.map(lambda value: [flag, value]),
    )


def _flag(flag: str) -> Slot:
    both = st.sampled_from([[], [flag]])
    return Slot(both, both)


def _argument(valid: list[str], weird: st.SearchStrategy[str]) -> Slot:
    return Slot(
        st.sampled_from([[], *([value] for value in valid)]), weird.map(lambda value: [value])
    )


#: Anything left over on the command line.
_EXTRA = Slot(st.just([]), os_text.map(lambda value: [value]))


@st.composite
def _command(draw: st.DrawFn, name: str, *slots: Slot) -> list[str]:
    """`name` with working values in every slot but (usually) one, which gets a weird one.

    One odd value at a time reaches the code behind the argument parsing, where a
    command line made only of odd values would stop at the first usage error.
    """
    every = (*slots, _EXTRA)
    odd = draw(st.integers(-1, len(every) - 1))
    args = [name]
    for index, slot in enumerate(every):
        args += draw(slot.weird if index == odd else slot.valid)
    return args


_TARGETS = ["{target}", "{service_id}", "{app_id}/" + SETTINGS.service]
_TIMEOUT = _option("--timeout", ["10m", "1h30m", "90", "2.5m"], durations)
_JSON = _flag("--json")

# A rebuild is always a --dry-run here (see Served); `watch` drives --timeout.
commands = st.one_of(
    _command(
        "rebuild",
        _argument(_TARGETS, targets),
        Slot(st.just(["--dry-run"]), st.just(["--dry-run"])),
        _flag("--use-cache"),
        _TIMEOUT,
        _JSON,
    ),
    _command("watch", _argument([*_TARGETS, "{deployment_id}"], targets), _TIMEOUT, _JSON),
    _command("status", _argument(_TARGETS, targets), _JSON),
    _command(
        "logs",
        _argument(_TARGETS, targets),
        # No --tail: it waits real seconds for a last read (and never ends on runtime logs).
        Slot(
            st.sampled_from([[], ["--type", "build"], ["--type", "runtime"]]),
            os_text.map(lambda kind: ["--type", kind]),
        ),
        _option("--deployment", ["{deployment_id}"], _deployment_ids),
        _option("--since", ["15m", "2h", "30s"], durations),
        _JSON,
    ),
    _command(
        "doctor",
        _argument(["{project}"], st.one_of(st.sampled_from(["", "{home}", "nope"]), os_text)),
        _flag("--offline"),
        _JSON,
        _option("--arg", ["CACHEBUST"], st.one_of(st.sampled_from(["", "1X", "A B"]), os_text)),
    ),
    st.sampled_from([["--version"], ["--help"], []]),
    os_text.map(lambda name: [name]),
)


def _secret(middle: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    """A token whose ends are marks the output must never hold."""
    return middle.map(lambda text: SECRET_HEAD + text + SECRET_TAIL)


#: KOYEB_TOKEN or a `token:` entry: mostly wrong, sometimes the fake's own.
tokens = st.one_of(
    _secret(st.text(_NO_NUL, max_size=8)),
    _secret(st.tuples(st.text(_NO_NUL, max_size=4), _BAD_CHARS).map("".join)),
    _secret(os_text),
    st.sampled_from(["{token}", " {token}\n", "{token}\r\n", "\t{token} ", "", " ", "\n"]),
)

# -- arguments and options -------------------------------------------------------------


@PROPERTY
@given(args=commands)
# The inputs issue 10 named, always tried on top of the generated ones.
@example(args=["logs", "--since", "1e308"])
@example(args=["logs", "--since", "99999999h"])
@example(args=["rebuild", ""])
@example(args=["status", SETTINGS.app + "/\udcff"])
def test_arguments_and_options(served: Served, args: list[str]) -> None:
    with world(served) as here:
        here.run(args)


# -- environment variables -------------------------------------------------------------

_UNSET = "(unset)"
_ENVIRONMENT: dict[str, st.SearchStrategy[str]] = {
    "KOYEB_TOKEN": st.one_of(st.just(_UNSET), tokens, os_text),
    "KOYEB_URL": st.one_of(st.just(_UNSET), urls),
    "HOME": st.one_of(
        st.sampled_from(["", "/", "relative", "{home}/missing", "{project}/pyproject.toml"]),
        os_text,
    ),
    "NO_COLOR": st.one_of(st.just(_UNSET), os_text),
    "TERM": st.one_of(st.sampled_from([_UNSET, "dumb", "xterm-256color"]), os_text),
}
_ENV_COMMANDS = [
    ["status"],
    ["status", "{target}", "--json"],
    ["rebuild", "--dry-run"],
    ["watch"],
    ["logs", "--type", "build"],
    ["doctor", "{project}"],
]


@st.composite
def environments(draw: st.DrawFn) -> dict[str, str | None]:
    """One or two of the variables set to something odd; the others as a working setup has."""
    odd = draw(st.sets(st.sampled_from(sorted(_ENVIRONMENT)), min_size=1, max_size=2))
    chosen = {name: draw(_ENVIRONMENT[name]) for name in sorted(odd)}
    return {name: None if value == _UNSET else value for name, value in chosen.items()}


#: The working folder: mostly the project, sometimes one without it, or a deleted one.
_FOLDERS = st.sampled_from(["{project}"] * 3 + ["{home}", "/", "<deleted>"])


@PROPERTY
@given(env=environments(), args=st.sampled_from(_ENV_COMMANDS), cwd=_FOLDERS)
@example(env={"KOYEB_TOKEN": SECRET_HEAD + "tökén" + SECRET_TAIL}, args=["status"], cwd="{project}")
@example(env={"KOYEB_TOKEN": SECRET_HEAD + "\n" + SECRET_TAIL}, args=["status"], cwd="{project}")
def test_environment(served: Served, env: dict[str, str | None], args: list[str], cwd: str) -> None:
    with world(served) as here:
        filled = {name: None if value is None else here.fill(value) for name, value in env.items()}
        here.run(args, filled, cwd)


# -- $HOME/.koyeb.yaml -------------------------------------------------------------------

_yaml_scalars = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(), st.text(max_size=8), tokens
)
_yaml_values = st.recursive(
    _yaml_scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=3), st.dictionaries(st.text(max_size=5), inner, max_size=3)
    ),
    max_leaves=6,
)
_yaml_documents = st.one_of(
    st.dictionaries(st.sampled_from(["token", "url", "organization"]), _yaml_values),
    _yaml_values,
)


def _dumped(value: object) -> bytes:
    import yaml

    return yaml.safe_dump(value, allow_unicode=True).encode("utf-8", "surrogateescape")


#: What `$HOME/.koyeb.yaml` holds, or what stands in its place ("<dir>", "<fifo>", ...).
koyeb_yaml = st.one_of(
    st.sampled_from(["<dir>", "<fifo>", "<loop>", "<dangling>"]),
    st.sampled_from(
        [
            "token: {token}\n",
            "token: '  {token}  '\n",
            "\ufefftoken: {token}\n",
            "token: 2001-13-45\n",
            "token: !!timestamp 'x'\n",
            "token: !!int 0x\n",
            "token: !!binary aGk=\n",
            "token: !!python/object:os.system x\n",
            "token: [1, 2\n",
            "token: 12345\n",
            "token:\n",
            "- a\n",
            "[" * 500,
        ]
    ).map(str.encode),
    tokens.map(lambda token: _dumped({"token": token})),
    _yaml_documents.map(_dumped),
    st.binary(max_size=40),
    st.text(max_size=40).map(str.encode),
)


def _place(path: Path, content: bytes | str, fill: Callable[[str], str]) -> None:
    """Write `content` (placeholders filled) at `path`, or make what a "<...>" names."""
    if content == "<dir>":
        path.mkdir()
    elif content == "<fifo>":
        os.mkfifo(path)
    elif content == "<loop>":
        path.symlink_to(path)
    elif content == "<dangling>":
        path.symlink_to(path.with_name("nowhere"))
    else:
        assert isinstance(content, bytes)
        path.write_bytes(
            fill(content.decode("utf-8", "surrogateescape")).encode("utf-8", "surrogateescape")
        )


@PROPERTY
@given(content=koyeb_yaml, args=st.sampled_from(_ENV_COMMANDS))
def test_koyeb_yaml(served: Served, content: bytes | str, args: list[str]) -> None:
    with world(served) as here:
        _place(here.home / ".koyeb.yaml", content, here.fill)
        here.run(args, {"KOYEB_TOKEN": None})


# -- [tool.cachebust] in pyproject.toml --------------------------------------------------

_toml_scalars = st.one_of(
    st.text(max_size=8),
    st.integers(),
    st.floats(),
    st.booleans(),
    st.sampled_from(["", " ", "{target}", "a/b", "\n", "é", "..", "/etc/passwd"]),
)
_toml_values = st.recursive(
    _toml_scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=3), st.dictionaries(st.text(max_size=4), inner, max_size=2)
    ),
    max_leaves=4,
)


@st.composite
def cachebust_tables(draw: st.DrawFn) -> str:
    """A [tool.cachebust] table with one or two keys missing, mistyped or odd."""
    odd = draw(st.sets(st.sampled_from([*_WORKING, "extra"]), min_size=1, max_size=2))
    table: dict[str, Any] = {k: v for k, v in _WORKING.items() if k not in odd}
    for key in sorted(odd):
        choice = draw(st.sampled_from(["missing", "value", "url"]))
        if choice == "value":
            table[key] = draw(_toml_values)
        elif choice == "url":
            table[key] = draw(urls)
    return "[tool.cachebust]\n" + "".join(f"{_toml(k)} = {_toml(v)}\n" for k, v in table.items())


#: What pyproject.toml holds, or "<dir>" when it is a folder.
pyprojects = st.one_of(
    cachebust_tables().map(str.encode),
    st.sampled_from(
        [
            "tool = 1\n",
            "[tool]\ncachebust = 'x'\n",
            "[tool]\ncachebust = [1]\n",
            "tool.cachebust = 5\n",
            "[tool.cachebust]\n",
            "[tool.cachebust\n",
            "[project]\nname = 'x'\n",
            "[tool.cachebust]\napp = 'a'\napp = 'b'\n",
        ]
    ).map(str.encode),
    st.just(b"# \xff\xfe\n[tool.cachebust]\n"),
    st.just("<dir>"),
    st.binary(max_size=40),
    st.text(max_size=40).map(str.encode),
)
#: KOYEB_URL is unset, so a working table's api-url is what is used: always the fake's
#: or invalid (see `urls`). Without a table, only commands that send nothing run.
_PROJECT_COMMANDS = [
    ["status"],
    ["rebuild", "--dry-run"],
    ["rebuild", "--dry-run", "{target}"],
    ["logs"],
    ["watch"],
    ["doctor", "--offline"],
]


@PROPERTY
@given(content=pyprojects, args=st.sampled_from(_PROJECT_COMMANDS))
def test_pyproject(served: Served, content: bytes | str, args: list[str]) -> None:
    with world(served) as here:
        path = here.project / "pyproject.toml"
        path.unlink()
        _place(path, content, here.fill)
        here.run(args, {"KOYEB_URL": None})


# -- cachebust fake-api ----------------------------------------------------------------


@contextlib.contextmanager
def _stopped_once_serving() -> Iterator[None]:
    """SIGTERM to this process whenever `fake-api` has its handler in, until the block ends.

    A no-op handler stands in meanwhile, so a signal sent just as the command puts the
    previous handler back is harmless.
    """

    def ignore(signum: int, frame: object) -> None:
        pass

    previous = signal.signal(signal.SIGTERM, ignore)
    done = threading.Event()

    def stop() -> None:
        while not done.wait(0.01):
            if signal.getsignal(signal.SIGTERM) is not ignore:
                os.kill(os.getpid(), signal.SIGTERM)

    thread = threading.Thread(target=stop, daemon=True)
    thread.start()
    try:
        yield
    finally:
        done.set()
        thread.join()
        signal.signal(signal.SIGTERM, previous)


_LOOPBACK = ["127.0.0.1", "localhost", "::1", "127.0.0.2"]
fake_api_commands = _command(
    "fake-api",
    Slot(
        st.sampled_from([[]] + [["--host", host] for host in _LOOPBACK]),
        st.one_of(st.sampled_from(["0.0.0.0", "10.0.0.1", "", "::", "a b"]), os_text).map(
            lambda host: ["--host", host]
        ),
    ),
    _option("--port", ["0"], st.one_of(st.sampled_from(["-1", "65536", "1e3"]), os_text)),
    _option("--speed", ["0", "1", "300"], st.one_of(_numbers, os_text)),
    _option("--token", ["t", "fake-koyeb-token"], st.one_of(tokens, os_text)),
    _option("--seed", ["0", "7"], st.one_of(_numbers, os_text)),
)


@PROPERTY
@given(args=fake_api_commands)
def test_fake_api_options(served: Served, args: list[str]) -> None:
    # --allow-non-loopback is never given: with it, a generated host could be resolved
    # or bound outside loopback.
    secrets = [arg for arg in args if SECRET_HEAD in arg]
    with world(served) as here, _stopped_once_serving():
        here.secrets += secrets
        here.run(args)
