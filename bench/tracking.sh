#!/usr/bin/env bash
# tracking: log-batch throughput, search-runs and get-metric-history latency, and the server's resident memory.
#   bench/run.sh tracking [--no-build] [--runs 100000] [--batches 3000] [--concurrency 16]
#                         [--history-points 100000] [--search-max-results 100]
#   bench/run.sh tracking --url URL [--pid PID] [...]    a server already running: Quarkflow, or MLflow's own
# Without --url it starts a suite (rebuilt first unless --no-build) and measures tracking-service on its own port,
# not through the gateway (the gateway benchmark measures what that adds).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

build=(--build) options=()
for arg in "$@"; do
  if [[ "$arg" == --no-build ]]; then build=(); else options+=("$arg"); fi
done
if [[ " ${options[*]} " == *" --url "* ]]; then
  java "$repo/bench/TrackingBench.java" "${options[@]}"
  exit
fi

start_suite "${build[@]}"
pid=$(service_pid "$tracking_port")
QUARKFLOW_INTERNAL_KEY=$(internal_key "$tracking_port") \
  java "$repo/bench/TrackingBench.java" --url "http://127.0.0.1:$tracking_port" --pid "$pid" "${options[@]}"
