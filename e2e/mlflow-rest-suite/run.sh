#!/usr/bin/env bash
# Runs MLflow's tests/tracking/test_rest_tracking.py against an already running Quarkflow gateway.
#   e2e/mlflow-rest-suite/run.sh /path/to/mlflow-tests [pytest args...]
# where /path/to/mlflow-tests holds MLflow's tests/ directory (tests/tracking/test_rest_tracking.py, ...).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
tests_root="${1:?usage: run.sh MLFLOW_TESTS_DIR [pytest args...]}"
shift
tests_root="$(cd "$tests_root" && pwd)"
[[ -f "$tests_root/tests/tracking/test_rest_tracking.py" ]] || { echo "no tests/tracking/test_rest_tracking.py under $tests_root" >&2; exit 2; }
PY="${PY:-$("$here/../../../shared/python-mlflow/setup.sh" | tail -1)}"
export QUARKFLOW_URL="${QUARKFLOW_URL:-http://127.0.0.1:${QUARKFLOW_PORT:-6200}}"
out="${QUARKFLOW_REPORT_DIR:-$here/target}"
mkdir -p "$out"
export QUARKFLOW_DESELECTED_REPORT="$out/deselected.tsv"
token="${QUARKFLOW_TOKEN:-}"
[[ -z "$token" && -n "${QUARKFLOW_HOME:-}" && -f "$QUARKFLOW_HOME/token" ]] && token="$(cat "$QUARKFLOW_HOME/token")"
[[ -n "$token" ]] || { echo "set QUARKFLOW_HOME (the local suite's home, holding token) or QUARKFLOW_TOKEN" >&2; exit 2; }
export QUARKFLOW_TOKEN="$token"
curl -fsS -H "Authorization: Bearer $token" "$QUARKFLOW_URL/health" >/dev/null \
    || { echo "Quarkflow's gateway does not answer at $QUARKFLOW_URL/health" >&2; exit 2; }
cd "$tests_root"
PYTHONPATH="$here:$tests_root${PYTHONPATH:+:$PYTHONPATH}" "$PY" -m pytest -p quarkflow_rest_suite \
    -p no:cacheprovider --rootdir "$tests_root" -o addopts= \
    tests/tracking/test_rest_tracking.py -rfE --junitxml="$out/junit.xml" "$@"
