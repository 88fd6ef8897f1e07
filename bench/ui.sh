#!/usr/bin/env bash
# ui: the web UI in a real browser (Debian's Chromium, headless): from navigation start to the first row of a
# 10,000-run experiment's runs table, and to the compare page's chart of a 100,000-step metric drawn, p50/p90 over
# --repeat fresh signed-in pages each, with the longest main-thread task; it seeds both first.
#   bench/run.sh ui [--url URL] [--runs 10000] [--history-points 100000] [--repeat 10] [--concurrency 16]
# It measures a suite already running: --url (or QUARKFLOW_URL), else the ./quarkflow start of the repo root
# (http://127.0.0.1:$QUARKFLOW_PORT, 5000 by default). Credentials: QUARKFLOW_TOKEN, or QUARKFLOW_USERNAME and
# QUARKFLOW_PASSWORD, else the token file of that ./quarkflow start ($QUARKFLOW_HOME/token, .quarkflow/token).
# UI_BENCH_EXPERIMENT_ID and UI_BENCH_HISTORY_RUN_ID (with UI_BENCH_HISTORY_METRIC, else the run's metric logged at the
# highest step) reuse what an earlier run seeded. CHROMIUM names another browser than /usr/bin/chromium.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

options=()
url="${QUARKFLOW_URL:-}"
while [[ $# -gt 0 ]]; do
  case "$1" in
    --url) [[ $# -ge 2 ]] || fail "--url needs a value"; url=$2; shift 2 ;;
    --runs | --history-points | --repeat | --concurrency)
      [[ $# -ge 2 ]] || fail "$1 needs a value"
      options+=("$1=$2"); shift 2 ;;
    -h | --help) sed -n '2,/^[^#]/ s/^# \{0,1\}//p' "${BASH_SOURCE[0]}"; exit 0 ;;
    *) fail "unknown option $1" ;;
  esac
done

token_file="${QUARKFLOW_HOME:-$repo/.quarkflow}/token"
if [[ -z "${QUARKFLOW_TOKEN:-}" && ( -z "${QUARKFLOW_USERNAME:-}" || -z "${QUARKFLOW_PASSWORD:-}" ) ]]; then
  [[ -f "$token_file" ]] || fail "no credentials: set QUARKFLOW_TOKEN (or QUARKFLOW_USERNAME and QUARKFLOW_PASSWORD), \
or start the suite with ./quarkflow start in $repo"
  export QUARKFLOW_TOKEN="$(cat "$token_file")"
fi
export QUARKFLOW_URL="${url:-http://127.0.0.1:${QUARKFLOW_PORT:-5000}}"
curl -sf -o /dev/null "$QUARKFLOW_URL/" || fail "no web UI answers at $QUARKFLOW_URL/"
chromium="${CHROMIUM:-/usr/bin/chromium}"
[[ -x "$chromium" ]] || fail "no Chromium at $chromium: apt-get install chromium"
[[ -d "$repo/ui/node_modules/playwright-core" ]] || (cd "$repo/ui" && npm ci --no-audit --no-fund)

# The script imports ui/tests/browser.mjs, whose playwright-core resolves from ui/node_modules.
node "$repo/bench/ui-bench.mjs" "${options[@]}"
