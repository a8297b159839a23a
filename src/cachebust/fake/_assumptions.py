"""The fake's assumptions: what it does where the API document and the official CLI leave
Koyeb's behaviour open, each with a stable contract anchor (`assume-<name>`).

`ASSUMPTIONS` is plain data, importable without koyeb-sdk: the guide's contract page
renders it, `cachebust fake-api --list-assumptions` prints it, and `cachebust contract`
checks on a real account the ones it can observe. An assumption with more than one
value is a switch: `FakeKoyeb(assumptions={"list-order": "oldest-first"})` or
`cachebust fake-api --assumption list-order=oldest-first` makes the fake behave the
other way, and the CLI's flows are tested under every value. One with a single value
is named so that the page lists it, but the fake has no other behaviour for it: either
no probe can observe it without harm, or no cheap alternative would stay consistent.

```python
from cachebust.fake._assumptions import ASSUMPTIONS, BY_NAME
[a.anchor for a in ASSUMPTIONS if a.switch]   # ["assume-name-filter", ...]
BY_NAME["list-order"].values                 # ("newest-first", "oldest-first")
```
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Literal

from cachebust._errors import ConfigError, shown

#: How `cachebust contract` can see an assumption on a real account: with reads only, only
#: during the one redeploy `--redeploy` allows, or not at all without doing harm.
Observable = Literal["read-only", "redeploy", "not"]


@dataclass(frozen=True, slots=True)
class Assumption:
    """One behaviour the fake assumes; `values[0]` is what it does by default."""

    name: str
    values: tuple[str, ...]
    #: What the fake does by default, in one sentence.
    says: str
    #: The plausible alternatives (the other values, and any the fake does not offer).
    otherwise: str
    observable: Observable
    #: What `cachebust contract` looks at for it; for an assumption it cannot observe
    #: (`observable` "not"), why not.
    probe: str
    #: Why it is an assumption: what the sources say, and what they leave open.
    source: str
    default: str = field(init=False)
    #: The contract page's anchor, which code comments cite as `contract: assume-<name>`.
    anchor: str = field(init=False)
    #: Whether the fake can be told to behave otherwise.
    switch: bool = field(init=False)

    def __post_init__(self) -> None:
        if not self.values or len(set(self.values)) != len(self.values):
            raise ValueError(f"assumption {self.name}: values must be distinct and non-empty")
        if len(self.values) > 1 and self.observable == "not":
            # A switch the probe cannot see could never be settled on a real account.
            raise ValueError(f"assumption {self.name}: a switch must be observable")
        object.__setattr__(self, "default", self.values[0])
        object.__setattr__(self, "anchor", f"assume-{self.name}")
        object.__setattr__(self, "switch", len(self.values) > 1)


ASSUMPTIONS: tuple[Assumption, ...] = (
    # -- lists ---------------------------------------------------------------------------
    Assumption(
        "name-filter",
        ("substring", "exact", "prefix", "ignored"),
        says="The `name` filter of the app and service lists keeps the items whose name "
        "contains the value.",
        otherwise="An exact match, a prefix match, or a filter the server ignores.",
        observable="read-only",
        probe="Lists apps (and the target's services) filtered on parts of a real name and "
        "on a name that exists nowhere.",
        source="OpenAPI: ListApps and ListServices describe `name` only as 'A filter for "
        "name'; whether it is exact is unconfirmed.",
    ),
    Assumption(
        "list-default-limit",
        ("20", "100"),
        says="A list request without `limit` gets pages of 20.",
        otherwise="Pages of 100, or another size.",
        observable="read-only",
        probe="Lists apps without `limit` and reads the reply's `limit`.",
        source='OpenAPI: the introduction\'s example reply shows `"limit": 20`; no '
        "operation states a default.",
    ),
    Assumption(
        "list-limit-over-max",
        ("reject", "clamp"),
        says="A `limit` above 100 is refused with a 400 naming `limit`.",
        otherwise="The server serves 100 items and says nothing.",
        observable="read-only",
        probe="Lists apps with `limit=101`.",
        source="OpenAPI: the introduction says `limit` is at most 100, not what happens above it.",
    ),
    Assumption(
        "list-order",
        ("newest-first", "oldest-first"),
        says="Apps, services and deployments are listed newest first.",
        otherwise="Oldest first (the introduction's example lists apps oldest first), or by name.",
        observable="read-only",
        probe="Compares `created_at` along the app, service and deployment lists, in the "
        "order the API sent them.",
        source="Official CLI: it takes element 0 of `limit=1` as a service's latest "
        "deployment, so deployments are newest first (an inference); the document states "
        "no order for any list.",
    ),
    Assumption(
        "has-next",
        ("present", "absent"),
        says="Every list reply carries `has_next`.",
        otherwise="Replies without `has_next` (the introduction's example has none), "
        "leaving `count` to tell whether more pages follow.",
        observable="read-only",
        probe="Looks for `has_next` in the list replies.",
        source="OpenAPI: the list replies define `has_next`, but the introduction's example "
        "reply omits it.",
    ),
    Assumption(
        "repeated-parameter",
        ("reject", "last-wins"),
        says="A scalar query parameter given twice is refused with a 400.",
        otherwise="The last (or the first) value wins.",
        observable="read-only",
        probe="Lists apps with `limit=1&limit=2`.",
        source="The document defines each parameter once; grpc-gateway refusing repeats "
        "is an inference.",
    ),
    # -- the deployment lifecycle ----------------------------------------------------------
    Assumption(
        "scheduled",
        ("after-build", "before-build", "absent"),
        says="A deployment goes PENDING, PROVISIONING (the build), SCHEDULED, ALLOCATING, "
        "STARTING, HEALTHY: SCHEDULED comes after the build.",
        otherwise="SCHEDULED before the build (queued for a builder), or never shown.",
        observable="redeploy",
        probe="Polls the redeployed deployment every second and notes where SCHEDULED "
        "appears (a short one can be missed).",
        source="OpenAPI: Deployment.Status lists the values without meanings or order "
        "(CANCELING and CANCELED sit between SCHEDULED and ALLOCATING); the official CLI's "
        "--wait stops on SCHEDULED.",
    ),
    Assumption(
        "build-status",
        ("provisioning", "outlasts-provisioning"),
        says="The build stage runs exactly while the deployment is PROVISIONING.",
        otherwise="The deployment moves on while the build (the image push) still runs.",
        observable="redeploy",
        probe="Polls the redeployed deployment and looks for a RUNNING build stage while "
        "its status is not PROVISIONING.",
        source="OpenAPI: `provisioning_info.stages` and the statuses are separate fields; "
        "no source ties the build to PROVISIONING.",
    ),
    Assumption(
        "previous-deployment-end",
        ("STOPPED", "STASHED"),
        says="When a new deployment becomes HEALTHY, the one it replaces ends STOPPED.",
        otherwise="It ends STASHED (the official CLI's `deployment list` hides STASHED "
        "deployments, which suggests they are common), or goes through STOPPING.",
        observable="read-only",
        probe="Reads the statuses of the target's older deployments that were once healthy.",
        source="OpenAPI: STOPPED and STASHED are both Deployment.Status values, undescribed.",
    ),
    Assumption(
        "active-switch-at",
        ("healthy", "starting"),
        says="The service's `active_deployment_id` moves to a new deployment when it "
        "becomes HEALTHY.",
        otherwise="Earlier (ALLOCATING or STARTING), or depending on the deployment strategy.",
        observable="redeploy",
        probe="Polls the service during the redeploy and notes the deployment's status "
        "when `active_deployment_id` first names it.",
        source="OpenAPI: Service has `active_deployment_id`, undescribed; DeploymentStrategy "
        "(ROLLING, BLUE_GREEN, CANARY, IMMEDIATE) is undocumented.",
    ),
    Assumption(
        "latest-id-updated",
        ("immediately", "delayed"),
        says="A redeploy sets the service's `latest_deployment_id` to the new deployment "
        "before it answers.",
        otherwise="The id follows a moment later, while the deployments list already holds "
        "the new one.",
        observable="redeploy",
        probe="Reads the service right after the redeploy's reply.",
        source="OpenAPI: Service has `latest_deployment_id`, undescribed. The official "
        "CLI's `service update --wait` reads it from the update's reply, which suggests "
        "(no more) that it is set at once.",
    ),
    Assumption(
        "redeploy-reply-status",
        ("PENDING", "PROVISIONING"),
        says="The redeploy's reply shows the new deployment PENDING.",
        otherwise="Already PROVISIONING, or another status.",
        observable="redeploy",
        probe="Reads the status in the redeploy's reply.",
        source="OpenAPI: RedeployReply holds the new Deployment; its first status is "
        "undocumented (PENDING is the enum's default).",
    ),
    Assumption(
        "last-provisioned-at",
        ("build-end", "healthy"),
        says="A deployment becomes the service's `last_provisioned_deployment_id` when its "
        "build ends.",
        otherwise="Only once it is HEALTHY.",
        observable="redeploy",
        probe="Polls the service during the redeploy and notes the deployment's status "
        "when `last_provisioned_deployment_id` first names it.",
        source="OpenAPI: Service has `last_provisioned_deployment_id`, undescribed; the "
        "official CLI reads a skip_build deployment's build logs there.",
    ),
    Assumption(
        "failed-keeps-active",
        ("yes",),
        says="A deployment that fails leaves the service's active deployment as it was.",
        otherwise="The active deployment is replaced or stopped anyway.",
        observable="read-only",
        probe="Looks for a target whose latest deployment failed, and checks that its "
        "active deployment is an older healthy one.",
        source="No source says what a failed deployment does to the active one.",
    ),
    Assumption(
        "supersede",
        ("cancel",),
        says="A new deployment cancels the service's deployments still in progress "
        "(CANCELING, then CANCELED).",
        otherwise="The older one is STASHED, the newer one waits, or both run.",
        observable="not",
        probe="It needs two overlapping deployments, which the probe never starts.",
        source="No source says what happens to a deployment in progress when another starts.",
    ),
    Assumption(
        "unhealthy-is-final",
        ("yes",),
        says="A deployment that fails its health checks ends UNHEALTHY.",
        otherwise="UNHEALTHY for a while during start-up, then HEALTHY; or ERROR after it.",
        observable="not",
        probe="It needs a deployment that fails its health checks.",
        source="OpenAPI: UNHEALTHY is an undescribed status; the official CLI's --wait "
        "stops on it as a failure.",
    ),
    Assumption(
        "error-sequence",
        ("erroring-then-error",),
        says="A failed build goes ERRORING, then ERROR a second later.",
        otherwise="ERROR at once, or ERRORING for longer.",
        observable="not",
        probe="It needs a failing build.",
        source="OpenAPI: ERRORING and ERROR are undescribed statuses.",
    ),
    Assumption(
        "durations",
        ("minutes",),
        says="A deployment goes from PENDING to HEALTHY in about three minutes (an "
        "uncached build 150 s, a cached one 30 s), well within cachebust's default "
        "--timeout of 10 minutes.",
        otherwise="Builds of many minutes, or queueing before them.",
        observable="read-only",
        probe="Measures `created_at` to `succeeded_at` of the target's finished deployments.",
        source="No source gives durations; the fake's are a time scale, not a behaviour.",
    ),
    Assumption(
        "skip-build-shape",
        ("no-stages",),
        says="A skip_build deployment lists no build stage and names the reused "
        "deployment in `metadata.git.last_provisioned_deployment_id`.",
        otherwise="A SKIPPED build stage, or no PROVISIONING at all.",
        observable="not",
        probe="The probe never skips a build, and list items do not say which deployments did.",
        source="OpenAPI: `skip_build` 'reuses the image from the last successful build'; "
        "the reply's shape for it is undocumented.",
    ),
    Assumption(
        "server-clock",
        ("local",),
        says="The fake stamps `created_at` and log times with this machine's clock.",
        otherwise="Koyeb's clock, some seconds off.",
        observable="not",
        probe="The probe reads no clock from the API; cachebust compares no server time with "
        "the local clock (a redeploy is settled by deployment ids).",
        source="Timestamps come from the server; no source bounds its clock's offset.",
    ),
    Assumption(
        "cancel-refusal",
        ("400",),
        says="Cancelling a deployment past SCHEDULED is refused with a 400.",
        otherwise="Another status (409, 412) or body.",
        observable="not",
        probe="It means cancelling a deployment.",
        source="OpenAPI: cancel is allowed in pending, provisioning and scheduled; the "
        "refusal is undocumented.",
    ),
    Assumption(
        "cancel-sequence",
        ("canceling-then-canceled",),
        says="A cancelled deployment goes CANCELING, then CANCELED a second later; its build "
        "is ABORTED and its later log lines are never written.",
        otherwise="CANCELED at once; the log kept.",
        observable="not",
        probe="It means cancelling a deployment.",
        source="OpenAPI: CANCELING and CANCELED are undescribed statuses.",
    ),
    Assumption(
        "skip-build-refusal",
        ("400-field",),
        says="`skip_build` on a service that never built is refused with a 400 naming "
        "`skip_build`.",
        otherwise="Another status or body.",
        observable="not",
        probe="It needs a service that never built.",
        source="OpenAPI: 'the call fails' when no build succeeded before; how is undocumented.",
    ),
    # -- the build cache and build logs ------------------------------------------------
    Assumption(
        "redeploy-cache",
        ("honoured", "always-cached"),
        says="A redeploy builds from the cache only when its body says `use_cache: true`.",
        otherwise="The server ignores `use_cache` and uses the cache anyway (or never).",
        observable="redeploy",
        probe="Redeploys once with `use_cache: false` and looks for `#N CACHED` lines in "
        "that build's log.",
        source="Official CLI: it sends `use_cache: false` unless --use-cache, and its "
        "commit 1bfc47f says a redeploy does not use the cache by default; the server's "
        "behaviour is unconfirmed.",
    ),
    Assumption(
        "update-uses-cache",
        ("yes",),
        says="A `service update` builds from the cache unless the definition says "
        "`skip_cache: true`.",
        otherwise="Updates never use the cache.",
        observable="not",
        probe="It needs an update of the service, which the probe never sends.",
        source="Only a user's statement in koyeb-cli issue 172.",
    ),
    Assumption(
        "push-uses-cache",
        ("yes", "no"),
        says="A deployment started by a git push builds from the cache.",
        otherwise="Push builds are uncached.",
        observable="read-only",
        probe="Finds the target's push-created deployments (`metadata.trigger.type` GIT) "
        "and looks for `#N CACHED` lines in their build logs.",
        source="OpenAPI: pushes to the tracked branch deploy, and TriggerDeploymentMetadata "
        "says a push started it; nothing says whether such builds use the cache.",
    ),
    Assumption(
        "build-log-format",
        ("buildkit-plain", "prefixed"),
        says="Build logs are BuildKit's plain progress: `#N [i/n] INSTRUCTION`, `#N CACHED`, "
        "`#N DONE 1.2s`, one message per line.",
        otherwise="A prefix on every line, Koyeb's own lines around it, or another "
        "builder's format.",
        observable="read-only",
        probe="Reads a build log and parses it as BuildKit plain progress.",
        source="No source documents the build log's format.",
    ),
    Assumption(
        "cache-hits",
        ("all-layers",),
        says="A build from the cache marks every layer step CACHED, even after a new commit.",
        otherwise="BuildKit's rule: a COPY of changed files, and every later step, run again.",
        observable="not",
        probe="Which COPY copied changed files needs the repository's history, not the API.",
        source="No source says how Koyeb's builder keys its cache.",
    ),
    Assumption(
        "skip-cache-scope",
        ("forbids-all",),
        says="`definition.skip_cache: true` forbids the cache for every later build, "
        "redeploys with `use_cache: true` included.",
        otherwise="Only for the deployment the update starts, or `use_cache` wins.",
        observable="not",
        probe="It needs a change of the service's definition.",
        source="Official CLI: --skip-cache is written to `definition.skip_cache`; whether "
        "it persists is unconfirmed.",
    ),
    Assumption(
        "build-stages",
        ("one-build-stage",),
        says="`provisioning_info.stages` holds one stage named `build`, whose steps are "
        "the BuildKit steps.",
        otherwise="Several stages (clone, build, push), other names, or empty steps.",
        observable="read-only",
        probe="Reads the stages of the target's latest built deployment.",
        source="OpenAPI: the stage and step fields are listed without their content.",
    ),
    Assumption(
        "log-retention",
        ("unlimited",),
        says="Build logs are kept for ever.",
        otherwise="A retention of some days, depending on the plan.",
        observable="read-only",
        probe="Reads the build log of the target's oldest deployment.",
        source="No source states a log retention.",
    ),
    Assumption(
        "log-window-max",
        ("unlimited",),
        says="A log query may span any time between `start` and `end`.",
        otherwise="A maximum span, refused with a 400.",
        observable="read-only",
        probe="Queries the target's build logs from 30 days ago.",
        source="OpenAPI: QueryLogs defaults `start` to 15 minutes ago and states no maximum.",
    ),
    Assumption(
        "build-builds-any-source",
        ("yes",),
        says="Every deployment without skip_build builds the configured Dockerfile, "
        "whatever its definition's source.",
        otherwise="A Docker-image source has no build stage.",
        observable="read-only",
        probe="Looks for a build stage on the account's deployments of Docker images.",
        source="OpenAPI: a `docker` source names an image; a build for it is not described.",
    ),
    # -- log queries ---------------------------------------------------------------------
    Assumption(
        "log-bounds",
        ("start-inclusive",),
        says="A log query returns the lines with `start <= created_at < end`.",
        otherwise="Both bounds inclusive, or times cut to the second.",
        observable="read-only",
        probe="Queries a build log bounded on one of its own lines' time.",
        source="OpenAPI: QueryLogs says `start` is before `end`, not which bound is included.",
    ),
    Assumption(
        "log-pagination",
        ("after-last",),
        says="A log page that stops short sets `has_more` and a `next_start`/`next_end` "
        "window that continues after its last line.",
        otherwise="A window that repeats the last line, or none on the last page.",
        observable="read-only",
        probe="Reads a build log in pages of 10 and compares it with one read of 1000.",
        source="OpenAPI: `pagination.has_more`, `next_start`, `next_end` are listed "
        "without their rule.",
    ),
    Assumption(
        "log-start-precision",
        ("sub-second",),
        says="A log query's `start` and `end` keep their fraction of a second.",
        otherwise="Times cut to the second.",
        observable="read-only",
        probe="Queries from one build-log line's exact time and looks for earlier lines.",
        source="OpenAPI: `start` and `end` are date-times; their precision is unstated.",
    ),
    Assumption(
        "log-timestamps-unique",
        ("yes",),
        says="No two lines of a log share a timestamp.",
        otherwise="Identical timestamps for lines written together.",
        observable="read-only",
        probe="Looks for repeated `created_at` in a build log.",
        source="No source says.",
    ),
    Assumption(
        "log-visibility",
        ("at-timestamp",),
        says="A log line can be read as soon as the time in its `created_at` has come.",
        otherwise="Lines appear some seconds late.",
        observable="not",
        probe="The probe does not time when lines appear.",
        source="No source says.",
    ),
    Assumption(
        "log-labels",
        ("type-and-stream",),
        says="Build lines carry the labels `type` `build` and `stream` `stdout`.",
        otherwise="Builds on another stream (`stderr`, `koyeb`), or other label keys.",
        observable="read-only",
        probe="Reads the labels of a build log's lines.",
        source="Official CLI: it reads the labels `type`, `stream` and the ids; others and "
        "their values are unconfirmed.",
    ),
    Assumption(
        "log-filters",
        ("case-sensitive",),
        says="The log query's `text` is a case-sensitive substring; `regex` takes Python's "
        "syntax (lookaheads too).",
        otherwise="Case-insensitive text; RE2 (Go) syntax, without lookaheads.",
        observable="read-only",
        probe="Queries a build log with its own text in the other case, and with a "
        "lookahead regex.",
        source="OpenAPI: `text` and `regex` are described only as filters.",
    ),
    Assumption(
        "runtime-log-lines",
        ("fake-texts",),
        says="Runtime logs hold Koyeb's lines 'Instance created. Preparing to start...' and "
        "'Instance is healthy. All health checks are passing.'.",
        otherwise="Other texts.",
        observable="read-only",
        probe="Looks for those texts in the active deployment's runtime log.",
        source="No source gives Koyeb's runtime messages.",
    ),
    # -- replies, errors, requests ---------------------------------------------------------
    Assumption(
        "unset-fields",
        ("omit",),
        says="Replies leave out the fields the fake has no value for (no `null`).",
        otherwise="Every field, with `null` or zero values.",
        observable="read-only",
        probe="Looks for `null` values in every reply it read.",
        source="OpenAPI: every field is optional; how unset ones are sent is unstated.",
    ),
    Assumption(
        "service-status",
        ("from-active",),
        says="A service is HEALTHY when its active deployment is, STARTING while its "
        "latest is in progress, else UNHEALTHY.",
        otherwise="DEGRADED while a newer deployment failed, or other rules.",
        observable="read-only",
        probe="Compares the target's status with its deployments'.",
        source="OpenAPI: Service.Status lists values without rules.",
    ),
    Assumption(
        "app-status",
        ("HEALTHY",),
        says="Every app is HEALTHY.",
        otherwise="An app's status derived from its services'.",
        observable="read-only",
        probe="Reads every app's status.",
        source="OpenAPI: App.Status lists values without rules.",
    ),
    Assumption(
        "unknown-id",
        ("404",),
        says="An unknown or malformed id in a path gets a 404 `Error` ('Deployment not found').",
        otherwise="A 400 for an id that is not a UUID.",
        observable="read-only",
        probe="Reads a deployment with a random UUID, then with `not-a-uuid`.",
        source="OpenAPI: 404 answers `Error`; how a malformed id is answered is unstated.",
    ),
    Assumption(
        "rate-limit",
        ("rpc-status-retry-after",),
        says="A 429 answers `google.rpc.Status` with a `Retry-After` header.",
        otherwise="An `Error` body with `rate_limit_error`, or no `Retry-After`.",
        observable="not",
        probe="It means exceeding the rate limit.",
        source="OpenAPI: 429 is declared on no operation (its default is google.rpc.Status); "
        "the introduction names `rate_limit_error`.",
    ),
    Assumption(
        "forbidden-code",
        ("authorization_required",),
        says="A 403's `code` is `authorization_required`.",
        otherwise="`authentication_required`, as the introduction's example says.",
        observable="not",
        probe="It needs a token without the right to act.",
        source="OpenAPI: the introduction lists `authorization_required` and shows "
        "`authentication_required` in its 403 example.",
    ),
    Assumption(
        "unknown-body-fields",
        ("reject",),
        says="An unknown field in a request body is refused with a 400 naming it.",
        otherwise="Ignored, as grpc-gateway's default JSON decoding does.",
        observable="not",
        probe="The probe sends no write but its one redeploy.",
        source="No source says.",
    ),
    Assumption(
        "definition-validation",
        ("types-only",),
        says="An update's definition is checked for types and unknown fields only, so a "
        "definition without a git source and an image-less docker source is accepted.",
        otherwise="A 400 such as `definition.docker.image` 'cannot be blank'.",
        observable="not",
        probe="The probe sends no update.",
        source="OpenAPI: the introduction's 400 example names `definition.docker.image`; "
        "the rules are undocumented.",
    ),
    Assumption(
        "update-semantics",
        ("replace",),
        says="PUT and PATCH both replace the whole definition; `update_mask` is ignored.",
        otherwise="PATCH with `update_mask` merges.",
        observable="not",
        probe="The probe sends no update.",
        source="OpenAPI: `update_mask` has no description.",
    ),
    Assumption(
        "redeploy-sha",
        ("build-commit",),
        says="A redeploy's `sha` builds that commit, else the pinned `git.sha`, else the "
        "branch's head.",
        otherwise="Another meaning.",
        observable="not",
        probe="The probe's one redeploy sends no `sha`.",
        source="OpenAPI: RedeployRequest.Info's `sha` has no description.",
    ),
    Assumption(
        "parent-child",
        ("previous-latest",),
        says="A deployment's `parent_id` is the service's previous deployment, whose "
        "`child_id` names it.",
        otherwise="Another relation (the active deployment).",
        observable="read-only",
        probe="Compares `parent_id` with the previous deployment along the target's list.",
        source="OpenAPI: `parent_id` and `child_id` are undescribed.",
    ),
)

BY_NAME: Mapping[str, Assumption] = {a.name: a for a in ASSUMPTIONS}


class UnknownAssumption(ConfigError):
    """An assumption name, or a value of it, that the fake does not know."""


def _listing(items: Iterable[str]) -> str:
    return ", ".join(items)


def parse_setting(text: str) -> tuple[str, str]:
    """`NAME=VALUE` as (name, value), checked against the registry."""
    name, equals, value = text.partition("=")
    if not equals:
        raise UnknownAssumption(
            what=f"{shown(text)} is not NAME=VALUE.",
            why="--assumption takes an assumption's name and one of its values.",
            fix="Write it as NAME=VALUE, e.g. list-order=oldest-first; `cachebust fake-api "
            "--list-assumptions` lists them.",
        )
    check(name.strip(), value.strip())
    return name.strip(), value.strip()


def check(name: str, value: str) -> None:
    """Raise UnknownAssumption unless `value` is a value of the assumption `name`."""
    found = BY_NAME.get(name)
    if found is None:
        switches = [a.name for a in ASSUMPTIONS if a.switch]
        raise UnknownAssumption(
            what=f"Unknown assumption {shown(name)}.",
            why=f"The fake's switches are {_listing(switches)}.",
            fix="Use one of them; `cachebust fake-api --list-assumptions` lists every "
            "assumption with its values.",
        )
    if value not in found.values and not found.switch:
        raise UnknownAssumption(
            what=f"The assumption {name} cannot be set to {shown(value)}.",
            why=f"It is not a switch: the fake has one behaviour for it, {found.default}.",
            fix="Leave it out; the fake's switches are listed by `cachebust fake-api "
            "--list-assumptions` (those with more than one value).",
        )
    if value not in found.values:
        raise UnknownAssumption(
            what=f"Unknown value {shown(value)} for the assumption {name}.",
            why=f"{name} is one of {_listing(found.values)} (default {found.default}).",
            fix=f"Use {name}={found.values[-1]}, or another value of that list.",
        )


class Assumed:
    """The value of every assumption one fake runs with: the defaults, but for `chosen`.

    ```python
    assumed = Assumed({"list-order": "oldest-first"})
    assumed.value("list-order")               # "oldest-first"
    assumed.holds("has-next", "present")      # True: the default
    ```
    """

    def __init__(self, chosen: Mapping[str, str] | None = None) -> None:
        for name, value in (chosen or {}).items():
            check(name, value)
        self._values = {a.name: a.default for a in ASSUMPTIONS} | dict(chosen or {})

    def value(self, name: str) -> str:
        if name not in self._values:
            raise KeyError(f"no assumption called {name!r}")
        return self._values[name]

    def holds(self, name: str, value: str) -> bool:
        """Whether the assumption `name` has `value` (a typo in either raises)."""
        check(name, value)
        return self._values[name] == value

    def changed(self) -> dict[str, str]:
        """The assumptions that differ from their defaults."""
        return {n: v for n, v in self._values.items() if v != BY_NAME[n].default}
