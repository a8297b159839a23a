"""The guide's two diagrams, drawn at build time as inline SVG: nothing is fetched when a
reader opens the page, and both builders insert the same markup.

- `deployment_path`: a push, the deploy workflow, the redeploy, Koyeb's build, the
  instances, `HEALTHY`, and where the build cache sits (the architecture page).
- `image_layers`: the steps of the configured Dockerfile, read with
  `cachebust._dockerfile`, and which are reused or rebuilt after a new value of the
  cache-bust argument, and in a Koyeb redeploy without the cache (how-it-works page).

Their words come from the same places as the pages': `[tool.cachebust]` (target,
Dockerfile, build argument), the Dockerfile itself, and the deploy workflow (its file
and branch). A box that states something about Koyeb names its contract entry
(`Claim`): the entry's marker label is drawn beside it when no source states it, and
the caption under the figure cites each entry with `contract_markdown.citation`, so
the figure says no more than the pages do.

Colours are the theme's: text and lines use `currentColor`, boxes the classes that
`docs/stylesheets/extra.css` fills from Material's variables in each colour scheme.
The figure has `role="img"` with its title and a description in words; it can take
the focus, so a keyboard can scroll it sideways where the screen is too narrow for it.
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from cachebust._config import Settings
from cachebust._dockerfile import Instruction, parse_dockerfile
from cachebust._errors import ConfigError
from guidetools import yaml_files
from guidetools.contract import Contract
from guidetools.contract_markdown import citation, marker

#: The workflow the deployment path starts with: the one that runs `cachebust rebuild`.
DEPLOY_WORKFLOW = ".github/workflows/deploy.yml"
#: Instructions BuildKit gives a step (a layer, or the base image) of their own; the others
#: (ARG, ENV, USER, EXPOSE, CMD, ...) only change the image's settings.
LAYER_KINDS = frozenset({"FROM", "RUN", "COPY", "ADD", "WORKDIR"})
#: Characters of an instruction shown in a row of the layers diagram.
_SHOWN = 40
#: The drawing's font sizes, in SVG user units (the figure scales with the column).
_TEXT = 13
_SMALL = 11
#: A line of a box: its text, or (text, the marker label drawn after it).
Line = str | tuple[str, str | None]


@dataclass(frozen=True, slots=True)
class Claim:
    """A statement about Koyeb drawn in a diagram, and the contract entry it rests on."""

    words: str
    anchor: str


def deployment_path(settings: Settings, contract: Contract, page: str | None) -> str:
    """The figure of the path from a push to a HEALTHY deployment, and its caption."""
    branch = workflow_branch(settings.root)
    building = Claim("the image is built while the status is PROVISIONING", "api-build-status")
    starting = Claim(
        "the instances start after the build, then HEALTHY", "api-deployment-lifecycle"
    )
    no_cache = Claim(
        "a redeploy with use_cache: false skips the build cache", "api-use-cache-effect"
    )
    push = Claim(
        f"a push to {branch} also starts Koyeb's own deployment, unless the service's "
        "no_deploy_on_push is set",
        "api-git-push-deploys",
    )
    push_cache = Claim("whether that build uses the cache", "api-push-build-cache")
    claims = (push, push_cache, building, no_cache, starting)

    width, top, box_w, box_h, gap = 760, 40, 114, 80, 14
    xs = [6 + i * (box_w + gap) for i in range(6)]
    nodes = [
        ("git push", (f"branch {branch}",), "step", None),
        ("Workflow", (Path(DEPLOY_WORKFLOW).name, "tests, then", "rebuild job"), "step", None),
        ("Redeploy", ("cachebust rebuild", "use_cache: false"), "step", None),
        ("Koyeb build", (settings.dockerfile, "PROVISIONING"), "koyeb", building),
        ("Instances", ("start on the", "new image"), "koyeb", starting),
        ("HEALTHY", ("cachebust rebuild", "exits 0"), "done", None),
    ]
    bottom = top + box_h
    body: list[str] = [
        _group(xs[0] - 4, top - 32, xs[2] + box_w + 4, bottom + 6, "GitHub"),
        _group(xs[3] - 4, top - 32, xs[5] + box_w + 4, bottom + 6, f"Koyeb: {settings.target}"),
    ]
    for x, (title, lines, kind, claim) in zip(xs, nodes, strict=True):
        marked: list[Line] = [*lines]
        if mark := _mark(contract, claim):
            marked.append(("", mark))
        body.append(_box(x, top, box_w, box_h, title, marked, kind))
    body += [_arrow(x + box_w, top + box_h / 2, x + box_w + gap, top + box_h / 2) for x in xs[:-1]]

    # The build cache, under the build that does not read it.
    cache_x, cache_y = xs[3] + 44, bottom + 44
    cache_lines = (
        "layers of earlier builds",
        ("not read when use_cache is false", _mark(contract, no_cache)),
        ("read by push builds? not documented", _mark(contract, push_cache)),
    )
    body.append(
        _box(cache_x, cache_y, xs[5] + box_w - cache_x, 78, "Build cache", cache_lines, "cache")
    )
    link_x = cache_x + 30
    body.append(_dashed_line(link_x, bottom, link_x, cache_y))
    # Koyeb's own deployment on a push, beside the pipeline's.
    lane_y, start_x, end_x = bottom + 34, xs[0] + box_w / 2, xs[3] + 22
    body.append(
        _polyline([(start_x, bottom), (start_x, lane_y), (end_x, lane_y), (end_x, bottom + 1)])
    )
    body.append(
        _label(start_x + 8, lane_y - 8, f"a push to {branch} also starts Koyeb's own deployment")
    )

    height = cache_y + 78 + 6
    title = f"The deployment path of {settings.target}"
    description = (
        f"A git push to {branch} runs the GitHub workflow {DEPLOY_WORKFLOW}: the tests, then "
        f"cachebust rebuild, which asks Koyeb to redeploy {settings.target} with use_cache "
        f"false. Koyeb builds the image from {settings.dockerfile} while the deployment is "
        "PROVISIONING, without reading the build cache of earlier builds; then the instances "
        "start on the new image and the deployment becomes HEALTHY. A push also starts "
        "Koyeb's own deployment of the branch, whose build may read the cache. "
        + _marks_in_words(contract, claims)
    )
    return _figure("deployment-path", width, height, title, description, body) + _caption(
        contract, claims, page
    )


def image_layers(settings: Settings, contract: Contract, page: str | None, miss: int) -> str:
    """The figure of the Dockerfile's steps, reused or rebuilt, and its caption; `miss`
    is the line of the first step a new value of the argument rebuilds (the `RUN` that
    gets it, as `macros.dockerfile_lines` finds it)."""
    steps, bust, settings_only = layer_steps(settings)
    new_value = Claim(
        "a redeploy with use_cache: false builds without the cache", "api-use-cache-effect"
    )
    base = Claim(
        "whether an uncached build fetches the base image again", "api-uncached-build-scope"
    )
    no_args = Claim(
        "a build Koyeb runs gets no build argument through the API", "api-no-build-args"
    )
    claims = (no_args, new_value, base)

    width, row_h, head_h = 760, 30, 64
    cols = (8, 400, 576, 752)
    rows_y = 8 + head_h
    body = [
        _header(cols[0], 8, cols[1] - cols[0], head_h, (f"{settings.dockerfile}:", "step"), None),
        _header(
            cols[1],
            8,
            cols[2] - cols[1],
            head_h,
            (f"new {settings.build_arg} value", "(a build you run)"),
            _mark(contract, no_args),
        ),
        _header(
            cols[2],
            8,
            cols[3] - cols[2],
            head_h,
            ("Koyeb redeploy,", "use_cache: false"),
            _mark(contract, new_value),
        ),
    ]
    y = rows_y
    for instruction in steps:
        if instruction is bust:
            body.append(_divider(cols[0], y, cols[3], f"{_shown(bust)}: the cache-bust point"))
            y += row_h
            continue
        rebuilt = instruction.line >= miss
        state = "rebuilt" if rebuilt else "reused"
        # What an uncached build does with the base image is not documented.
        uncached = ("not documented", "unknown", _mark(contract, base))
        if instruction.kind != "FROM":
            uncached = ("rebuilt", "rebuilt", None)
        h = row_h + (12 if uncached[2] else 0)
        body += [
            _cell(cols[0], y, cols[1] - cols[0], h, _shown(instruction), "step", mono=True),
            _cell(cols[1], y, cols[2] - cols[1], h, state, state),
            _cell(cols[2], y, cols[3] - cols[2], h, uncached[0], uncached[1], mark=uncached[2]),
        ]
        y += h
    kinds = ", ".join(dict.fromkeys(i.kind for i in settings_only))
    body.append(_label(cols[0], y + 20, f"{kinds}: image settings, no step of their own"))
    height = y + 30

    rebuilt_steps = [i for i in steps if i is not bust and i.line >= miss]
    reused_steps = [i for i in steps if i is not bust and i.line < miss]
    title = f"Which steps of {settings.dockerfile} are rebuilt"
    description = (
        f"With a new value of {settings.build_arg}, passed to a build you run, the steps "
        f"before line {miss} are reused from the cache ("
        + "; ".join(_shown(i) for i in reused_steps)
        + f") and the steps from line {miss} on are rebuilt ("
        + "; ".join(_shown(i) for i in rebuilt_steps)
        + "). In a Koyeb redeploy with use_cache false, every step is rebuilt; whether the "
        "base image is fetched again is not documented. " + _marks_in_words(contract, claims)
    )
    return _figure("image-layers", width, height, title, description, body) + _caption(
        contract, claims, page
    )


def layer_steps(settings: Settings) -> tuple[list[Instruction], Instruction, list[Instruction]]:
    """The final stage's steps with the cache-bust `ARG` among them, that `ARG`, and the
    instructions that only change the image's settings."""
    text = (settings.root / settings.dockerfile).read_text(encoding="utf-8")
    stages = parse_dockerfile(text).stages
    if stages:
        stage = stages[-1]
        start = Instruction("FROM", stage.base, stage.line, stage.line)
        for instruction in stage.instructions:
            if instruction.declares(settings.build_arg):
                steps = [start] + [
                    i for i in stage.instructions if i.kind in LAYER_KINDS or i is instruction
                ]
                others = [
                    i
                    for i in stage.instructions
                    if i.kind not in LAYER_KINDS and i is not instruction
                ]
                return steps, instruction, others
    raise ConfigError(
        what=f"{settings.dockerfile} has no ARG {settings.build_arg} in its last stage.",
        why="The layers diagram shows the steps above and below that argument.",
        fix=f"Declare ARG {settings.build_arg}={settings.build_arg_default} in the stage that "
        "builds the image, after the dependency layers.",
    )


def workflow_branch(root: Path) -> str:
    """The branch whose pushes run the deploy workflow."""
    path = root / DEPLOY_WORKFLOW
    try:
        workflow: Any = yaml_files.load(path)
        # YAML 1.1 reads the bare key `on` as true.
        trigger = workflow.get("on", workflow.get(True))
        branch = trigger["push"]["branches"][0]
    except (OSError, yaml.YAMLError, AttributeError, KeyError, IndexError, TypeError) as exc:
        raise ConfigError(
            what=f"Cannot read the branch of {DEPLOY_WORKFLOW}.",
            why=f"The deployment path diagram names it; reading it failed: {exc!r}.",
            fix=f"Keep `on: push: branches: [BRANCH]` in {DEPLOY_WORKFLOW}.",
        ) from exc
    return str(branch)


# -- Drawing ---------------------------------------------------------------------------------


def _mark(contract: Contract, claim: Claim | None) -> str | None:
    """The marker label drawn beside a claim no source states ("unconfirmed", ...)."""
    if claim is None:
        return None
    found = marker(contract.cited(claim.anchor))
    return found.label if found else None


def _marks_in_words(contract: Contract, claims: Iterable[Claim]) -> str:
    marked = [(c, _mark(contract, c)) for c in claims]
    return " ".join(f"That {c.words} is {label}." for c, label in marked if label)


def _caption(contract: Contract, claims: Sequence[Claim], page: str | None) -> str:
    """A paragraph under the figure: each statement about Koyeb with its citation."""
    parts = [f"{c.words} {citation(contract, (c.anchor,), page)}" for c in claims]
    return "\n\nWhat the figure says of Koyeb: " + "; ".join(parts) + ".\n{ .cb-diagram-caption }\n"


def _figure(
    name: str, width: float, height: float, title: str, description: str, body: list[str]
) -> str:
    ids = f"cb-{name}-title cb-{name}-desc"
    return (
        f'<figure class="cb-diagram" id="{name}-diagram">\n'
        f'<svg class="cb-diagram__svg" viewBox="0 0 {width:g} {height:g}" width="{width:g}" '
        f'height="{height:g}" role="img" aria-labelledby="{ids}" tabindex="0" '
        f'font-size="{_TEXT}" xmlns="http://www.w3.org/2000/svg">\n'
        f'<title id="cb-{name}-title">{_e(title)}</title>\n'
        f'<desc id="cb-{name}-desc">{_e(description)}</desc>\n'
        '<defs><marker id="cb-' + name + '-arrow" viewBox="0 0 10 10" refX="9" refY="5" '
        'markerWidth="7" markerHeight="7" orient="auto-start-reverse">'
        '<path d="M0,0 L10,5 L0,10 z" fill="currentColor"/></marker></defs>\n'
        + "\n".join(body).replace("{ARROW}", f"url(#cb-{name}-arrow)")
        + "\n</svg>\n</figure>"
    )


def _box(
    x: float,
    y: float,
    w: float,
    h: float,
    title: str,
    lines: Sequence[Line],
    kind: str,
) -> str:
    """A box with a bold title and lines under it; a line given as (text, mark) has the
    mark drawn after its text."""
    step = 15
    first = y + h / 2 - len(lines) * step / 2 + 4
    texts = [
        f'<text x="{x + w / 2:g}" y="{first:g}" text-anchor="middle" '
        f'class="cb-diagram__title">{_e(title)}</text>'
    ]
    for i, line in enumerate(lines, start=1):
        text, mark = (line, None) if isinstance(line, str) else line
        texts.append(
            f'<text x="{x + w / 2:g}" y="{first + i * step:g}" text-anchor="middle" '
            f'font-size="{_SMALL}">{_e(text)}{_mark_span(mark, bool(text))}</text>'
        )
    return (
        f'<g class="cb-diagram__node cb-diagram__node--{kind}">'
        f'<rect x="{x:g}" y="{y:g}" width="{w:g}" height="{h:g}" rx="6" '
        'stroke="currentColor" fill="none"/>'
        f"{''.join(texts)}</g>"
    )


def _mark_span(mark: str | None, after_text: bool) -> str:
    if not mark:
        return ""
    gap = ' dx="5"' if after_text else ""
    return f'<tspan class="cb-diagram__mark"{gap}>{_e(mark)}</tspan>'


def _group(x1: float, y1: float, x2: float, y2: float, label: str) -> str:
    return (
        f'<g class="cb-diagram__group"><rect x="{x1:g}" y="{y1:g}" width="{x2 - x1:g}" '
        f'height="{y2 - y1:g}" rx="8" fill="none" stroke="currentColor" '
        'stroke-dasharray="4 3" stroke-opacity="0.6"/>'
        f'<text x="{x1 + 8:g}" y="{y1 + 18:g}" class="cb-diagram__title">{_e(label)}</text></g>'
    )


def _arrow(x1: float, y1: float, x2: float, y2: float) -> str:
    return (
        f'<line x1="{x1:g}" y1="{y1:g}" x2="{x2 - 1:g}" y2="{y2:g}" stroke="currentColor" '
        'stroke-width="1.5" marker-end="{ARROW}"/>'
    )


def _dashed_line(x1: float, y1: float, x2: float, y2: float) -> str:
    return (
        f'<line x1="{x1:g}" y1="{y1:g}" x2="{x2:g}" y2="{y2:g}" stroke="currentColor" '
        'stroke-width="1.5" stroke-dasharray="5 4"/>'
    )


def _polyline(points: Sequence[tuple[float, float]]) -> str:
    joined = " ".join(f"{x:g},{y:g}" for x, y in points)
    return (
        f'<polyline points="{joined}" fill="none" stroke="currentColor" stroke-width="1.5" '
        'stroke-dasharray="5 4" marker-end="{ARROW}"/>'
    )


def _label(x: float, y: float, text: str) -> str:
    """A line of small text on the page's background, starting at (x, y)."""
    return f'<text x="{x:g}" y="{y:g}" font-size="{_SMALL}">{_e(text)}</text>'


def _header(x: float, y: float, w: float, h: float, lines: Sequence[str], mark: str | None) -> str:
    rest: list[Line] = [*lines[1:]]
    if mark:
        rest.append(("", mark))
    return _box(x, y, w, h, lines[0], rest, "head")


def _cell(
    x: float,
    y: float,
    w: float,
    h: float,
    text: str,
    kind: str,
    *,
    mono: bool = False,
    mark: str | None = None,
) -> str:
    if mono:
        inner = (
            f'<text x="{x + 8:g}" y="{y + h / 2 + 4:g}" class="cb-diagram__code">{_e(text)}</text>'
        )
    else:
        lines = [(text, ""), (mark, "cb-diagram__mark")] if mark else [(text, "")]
        first = y + h / 2 + 4 - (len(lines) - 1) * 7
        inner = "".join(
            f'<text x="{x + w / 2:g}" y="{first + i * 14:g}" text-anchor="middle"'
            + (f' class="{cls}" font-size="{_SMALL}"' if cls else "")
            + f">{_e(line)}</text>"
            for i, (line, cls) in enumerate(lines)
        )
    return (
        f'<g class="cb-diagram__node cb-diagram__node--{kind}">'
        f'<rect x="{x:g}" y="{y:g}" width="{w:g}" height="{h:g}" stroke="currentColor" '
        f'stroke-opacity="0.4" fill="none"/>{inner}</g>'
    )


def _divider(x1: float, y: float, x2: float, text: str) -> str:
    return (
        f'<g class="cb-diagram__node cb-diagram__node--bust">'
        f'<rect x="{x1:g}" y="{y:g}" width="{x2 - x1:g}" height="30" fill="none"/>'
        f'<line x1="{x1:g}" y1="{y + 15:g}" x2="{x1 + 6:g}" y2="{y + 15:g}" '
        'stroke="currentColor" stroke-width="2"/>'
        f'<text x="{x1 + 12:g}" y="{y + 19:g}" class="cb-diagram__code cb-diagram__title">'
        f"{_e(text)}</text></g>"
    )


def _shown(instruction: Instruction) -> str:
    """`12 RUN pip install ...`: the line number and the start of the instruction."""
    words = " ".join(f"{instruction.kind} {instruction.value}".split())
    short = words if len(words) <= _SHOWN else words[: _SHOWN - 1].rstrip() + "…"
    return f"{instruction.line}  {short}"


def _e(text: str) -> str:
    return html.escape(text, quote=True)
