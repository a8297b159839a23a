#!/usr/bin/env bash
# force-koyeb-rebuild.sh: ask Koyeb for an uncached build of the configured service
# and wait until the new deployment is healthy.
#
# Purpose
#   Runs `cachebust rebuild`, which redeploys the service named in [tool.cachebust]
#   (pyproject.toml at the repository root) with use_cache: false, which the official
#   CLI documents as a build without the cache, then watches the deployment to the end.
#   The same command the deploy workflow runs.
#
# Prerequisites
#   - KOYEB_TOKEN: a Koyeb API token (required; read from the environment only).
#   - the cachebust CLI: `make install` puts it in .venv/bin.
#
# Usage
#   runbooks/force-koyeb-rebuild.sh [OPTIONS...]
#   e.g. runbooks/force-koyeb-rebuild.sh --no-wait
#   Every argument is passed to `cachebust rebuild` unchanged.
#
# Environment
#   KOYEB_TOKEN   required; never pass it as an argument.
#   KOYEB_URL     API base URL (default: [tool.cachebust] api-url).
#   CACHEBUST_CLI the cachebust command to run (default: .venv/bin/cachebust if
#                 present, else cachebust on PATH).
#
# Exit status
#   That of `cachebust rebuild` (0 when healthy; see `cachebust --help`),
#   3 when KOYEB_TOKEN is not set, 127 when the cachebust command is missing.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
default_cli=cachebust
[[ -x "$root/.venv/bin/cachebust" ]] && default_cli="$root/.venv/bin/cachebust"
CACHEBUST_CLI="${CACHEBUST_CLI:-$default_cli}"

fail() {
    local code=$1 what=$2 why=$3 fix=$4
    printf 'Error: %s\n  Why: %s\n  Fix: %s\n' "$what" "$why" "$fix" >&2
    exit "$code"
}

if [[ -z "${KOYEB_TOKEN:-}" ]]; then
    fail 3 "KOYEB_TOKEN is not set." \
        "The rebuild calls the Koyeb API, which needs an API token." \
        "Create an API token in the Koyeb control panel and export it without typing it on the command line (read -rs KOYEB_TOKEN && export KOYEB_TOKEN); in CI, map the secret KOYEB_TOKEN into the step's env."
fi

if ! command -v "$CACHEBUST_CLI" >/dev/null 2>&1; then
    fail 127 "The cachebust command was not found: $CACHEBUST_CLI" \
        "This script is a thin wrapper around the cachebust CLI." \
        "Run make install in $root, or set CACHEBUST_CLI to the path of the cachebust command."
fi

# The configured service is found from [tool.cachebust] in the repository root.
cd "$root"
exec "$CACHEBUST_CLI" rebuild "$@"
