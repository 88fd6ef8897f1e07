#!/usr/bin/env bash
# log-model: mlflow.sklearn.log_model of a small model (MLflow 3.3's client, ../shared/python-mlflow), p50 over
# --count calls, through Quarkflow's gateway (authentication on) and against MLflow's own server (sqlite backend,
# proxied artifacts, one worker), both started here, taking turns call by call.
#   bench/run.sh log-model [--no-build] [--count 20]
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

build=(--build) count=20
while [[ $# -gt 0 ]]; do
  case "$1" in
    --no-build) build=() ;;
    --count) count=$2; shift ;;
    *) fail "unknown option $1" ;;
  esac
  shift
done
python=$("$repo/../shared/python-mlflow/setup.sh" | tail -1)
export MLFLOW_DISABLE_TELEMETRY=true MLFLOW_HTTP_REQUEST_MAX_RETRIES=0

free_port mlflow_port
mkdir -p "$work/mlflow"
(cd "$work/mlflow" && exec "$python" -m mlflow server --host 127.0.0.1 --port "$mlflow_port" --workers 1 \
  --backend-store-uri "sqlite:///$work/mlflow/mlflow.db" --serve-artifacts \
  --artifacts-destination "$work/mlflow/artifacts" > "$work/mlflow/server.log" 2>&1) &
stop_on_exit+=("$!")
start_suite "${build[@]}"
for _ in $(seq 1 60); do
  curl -sf "http://127.0.0.1:$mlflow_port/health" > /dev/null && break
  sleep 1
done

# Taking turns call by call, so that the machine's other work weighs on both alike.
(cd "$work" && MLFLOW_TRACKING_TOKEN=$(cat "$work/token") "$python" "$repo/bench/LogModel.py" --count "$count" \
  --server "Quarkflow (gateway, authentication on)=http://127.0.0.1:$gateway_port" \
  --server "MLflow 3.3 server=http://127.0.0.1:$mlflow_port") | grep "log_model p50"
