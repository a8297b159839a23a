"""A Dockerfile as stages of instructions, read with dockerfile-parse: the one place
the project reads Dockerfiles (the doctor, the fake's build log, the site's macros and
the image-build proof all use it).

What it knows: each stage's base and name; its instructions with their first and last
1-based lines; which `COPY`/`ADD` bring application source in from the build context;
an instruction's exec (JSON) form; which `RUN` installs dependencies, and with which
package manager; the `ARG`s declared where.
"""

from __future__ import annotations

import fnmatch
import io
import json
import re
import shlex
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import PurePosixPath

from dockerfile_parse import DockerfileParser  # type: ignore[import-untyped]

from cachebust._shell import simple_commands

# Files that describe dependencies rather than being the application: copying only
# these before installing is the usual way to keep the install layer cached.
MANIFESTS = frozenset(
    {
        "requirements.txt",
        "constraints.txt",
        "pyproject.toml",
        "setup.py",
        "setup.cfg",
        "poetry.lock",
        "uv.lock",
        "pdm.lock",
        "pipfile",
        "pipfile.lock",
        "package.json",
        "package-lock.json",
        "npm-shrinkwrap.json",
        "yarn.lock",
        "pnpm-lock.yaml",
        "bun.lockb",
        ".npmrc",
        ".yarnrc.yml",
        "go.mod",
        "go.sum",
        "gemfile",
        "gemfile.lock",
        "cargo.toml",
        "cargo.lock",
        "composer.json",
        "composer.lock",
        "mix.exs",
        "mix.lock",
        "pom.xml",
        "build.gradle",
        "settings.gradle",
    }
)
#: `RUN --mount=... --network=none cmd`: the flags are BuildKit's, not the command's.
_RUN_FLAGS = re.compile(r"^\s*(--\S+\s+)*")
_FLAG = re.compile(r"--(?P<key>[\w-]+)(=(?P<value>\S*))?\s+")
_MANIFEST_PATTERN = re.compile(r"requirements[\w.-]*\.(txt|in)", re.IGNORECASE)
#: Dependency installs, by package manager: each pattern matches a simple command's words
#: (joined by spaces) from its start.
INSTALLERS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (manager, re.compile(pattern, re.IGNORECASE))
    for manager, pattern in (
        ("pip", r"(pip3?|uv pip|python3? -m pip) (install|sync|wheel)\b|pip-sync\b"),
        ("uv", r"uv sync\b"),
        ("poetry", r"poetry install\b"),
        ("pipenv", r"pipenv install\b"),
        ("pdm", r"pdm install\b"),
        ("npm", r"(npm|pnpm) (ci|install|i)\b"),
        ("yarn", r"yarn( install\b|$)"),
        ("bun", r"bun install\b"),
        ("bundler", r"bundle install\b"),
        ("composer", r"composer install\b"),
        ("go", r"go mod download\b"),
        ("cargo", r"cargo (build|fetch)\b"),
        ("apt", r"(apt-get|apt) (-\S+ )*install\b"),
        ("dnf", r"(dnf|yum|microdnf) (-\S+ )*install\b"),
        ("apk", r"apk add\b"),
    )
)


@dataclass(frozen=True, slots=True)
class Instruction:
    kind: str
    value: str
    #: 1-based line where the instruction starts.
    line: int
    #: 1-based line where it ends (after its `\` continuations).
    end: int

    @property
    def text(self) -> str:
        """The instruction on one line, for messages."""
        short = " ".join(self.value.split())
        return f"{self.kind} {short[:60]}{'...' if len(short) > 60 else ''}"

    def declares(self, name: str) -> bool:
        """Whether this is an ARG that declares `name`."""
        return self.kind == "ARG" and any(arg == name for arg, _ in parse_arg(self.value))


@dataclass(frozen=True, slots=True)
class Copy:
    """A COPY or ADD: its flags, sources and destination."""

    instruction: Instruction
    flags: dict[str, str]
    sources: tuple[str, ...]
    destination: str

    @property
    def from_context(self) -> bool:
        """Copies from the build context (not from another stage or image, not a URL)."""
        return "from" not in self.flags and not any("://" in s for s in self.sources)

    @property
    def only_manifests(self) -> bool:
        return bool(self.sources) and all(_is_manifest(s) for s in self.sources)

    @property
    def brings_source(self) -> bool:
        """Copies application source: from the context, and not only dependency manifests."""
        return self.from_context and not self.only_manifests


@dataclass(slots=True)
class Stage:
    index: int
    base: str
    name: str | None
    line: int
    instructions: list[Instruction] = field(default_factory=list)
    #: The Dockerfile has no other stage.
    only: bool = False

    @property
    def label(self) -> str:
        if self.only:
            return "the only stage"
        return f"stage {self.name!r}" if self.name else f"stage {self.index} (unnamed)"

    def copies(self) -> Iterator[Copy]:
        for instruction in self.instructions:
            if instruction.kind in ("COPY", "ADD"):
                yield parse_copy(instruction)

    def first_source_copy(self) -> Copy | None:
        return next((c for c in self.copies() if c.brings_source), None)

    def args(self) -> Iterator[tuple[Instruction, str, str | None]]:
        """(instruction, name, default or None) for each ARG declared in the stage."""
        for instruction in self.instructions:
            if instruction.kind == "ARG":
                for name, default in parse_arg(instruction.value):
                    yield instruction, name, default

    def runs_after(self, line: int) -> list[Instruction]:
        return [i for i in self.instructions if i.kind == "RUN" and i.line > line]

    def dependency_installs(self) -> list[Instruction]:
        return [i for i in self.instructions if i.kind == "RUN" and installs_dependencies(i)]


@dataclass(frozen=True, slots=True)
class Dockerfile:
    #: ARGs before the first FROM: only FROM lines can use them, unless a stage redeclares them.
    global_args: tuple[Instruction, ...]
    stages: tuple[Stage, ...]

    def stage_named(self, ref: str) -> Stage | None:
        for stage in self.stages:
            if stage.name == ref.lower() or (ref.isdigit() and stage.index == int(ref)):
                return stage
        return None

    def reachable(self) -> list[Stage]:
        """The stages the final stage is built from (itself included), in file order:
        BuildKit skips the others."""
        if not self.stages:
            return []
        seen: set[int] = set()
        todo = [self.stages[-1]]
        while todo:
            stage = todo.pop()
            if stage.index in seen:
                continue
            seen.add(stage.index)
            refs = [stage.base, *(c.flags["from"] for c in stage.copies() if "from" in c.flags)]
            todo.extend(s for ref in refs if (s := self.stage_named(ref)) is not None)
        return [stage for stage in self.stages if stage.index in seen]

    def global_default(self, name: str) -> str | None:
        for instruction in self.global_args:
            for arg, default in parse_arg(instruction.value):
                if arg == name and default is not None:
                    return default
        return None


def parse_dockerfile(text: str) -> Dockerfile:
    parser = DockerfileParser(fileobj=io.BytesIO(text.encode("utf-8")), env_replace=False)
    global_args: list[Instruction] = []
    stages: list[Stage] = []
    for item in parser.structure:
        instruction = Instruction(
            item["instruction"].upper(), item["value"], item["startline"] + 1, item["endline"] + 1
        )
        if instruction.kind == "FROM":
            base, name = _parse_from(instruction.value)
            stages.append(Stage(len(stages), base, name, instruction.line))
        elif instruction.kind == "COMMENT":
            continue
        elif stages:
            stages[-1].instructions.append(instruction)
        elif instruction.kind == "ARG":
            global_args.append(instruction)
    if len(stages) == 1:
        stages[0].only = True
    return Dockerfile(tuple(global_args), tuple(stages))


def parse_copy(instruction: Instruction) -> Copy:
    rest = instruction.value.strip()
    flags: dict[str, str] = {}
    while match := _FLAG.match(rest):
        flags[match["key"].lower()] = match["value"] or ""
        rest = rest[match.end() :]
    words = exec_form(rest) or _words(rest)
    return Copy(instruction, flags, tuple(words[:-1]), words[-1] if words else "")


def parse_arg(value: str) -> list[tuple[str, str | None]]:
    pairs: list[tuple[str, str | None]] = []
    for word in _words(value):
        name, equals, default = word.partition("=")
        pairs.append((name, default if equals else None))
    return pairs


def references(instruction: Instruction, name: str) -> bool:
    """Whether the instruction expands `$name` or `${name}` itself."""
    return (
        re.search(rf"\$(\{{{re.escape(name)}(\}}|:)|{re.escape(name)}\b)", instruction.value)
        is not None
    )


def exec_form(value: str) -> list[str] | None:
    """The words of an instruction written in exec (JSON) form, `["pip", "install"]`;
    None for the shell form. (COPY uses the same form for paths with spaces.)"""
    text = value.strip()
    if not text.startswith("["):
        return None
    try:
        words = json.loads(text)
    except ValueError:
        return None
    return [str(word) for word in words] if isinstance(words, list) else None


def commands(instruction: Instruction) -> list[tuple[str, ...]]:
    """The simple commands a RUN runs: its exec form, or its shell line split by the shell."""
    words = exec_form(instruction.value)
    if words is not None:
        return [tuple(words)]
    script = _RUN_FLAGS.sub("", instruction.value)
    return [found.program() for found in simple_commands(script) if found.program()]


def installer(instruction: Instruction) -> tuple[str, tuple[str, ...]] | None:
    """(package manager, words) of the first dependency install a RUN makes, if any."""
    for words in commands(instruction):
        line = " ".join(words)
        for manager, pattern in INSTALLERS:
            if pattern.match(line):
                return manager, words
    return None


def installs_dependencies(instruction: Instruction) -> bool:
    return installer(instruction) is not None


def _is_manifest(source: str) -> bool:
    name = PurePosixPath(source).name.lower()
    if name in MANIFESTS or _MANIFEST_PATTERN.fullmatch(name) is not None:
        return True
    # A glob such as `requirements*.txt` or `package*.json`: a manifest when it starts
    # with a literal name part and matches a manifest name (`*.txt` does not count).
    prefix = re.split(r"[*?\[]", name, maxsplit=1)[0]
    return prefix != name and bool(prefix) and bool(fnmatch.filter(MANIFESTS, name))


def _parse_from(value: str) -> tuple[str, str | None]:
    words = [w for w in _words(value) if not w.startswith("--")]
    base = words[0] if words else ""
    name = words[2].lower() if len(words) >= 3 and words[1].lower() == "as" else None
    return base, name


def _words(value: str) -> list[str]:
    try:
        return shlex.split(value, posix=True)
    except ValueError:
        return value.split()
