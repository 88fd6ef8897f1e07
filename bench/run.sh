#!/usr/bin/env bash
# Benchmarks a tracking server and prints its figures.
#   bench/run.sh                      starts Quarkflow on a fresh embedded PostgreSQL and measures it
#   bench/run.sh --url URL [--pid P]  measures a server that is already running (Quarkflow or MLflow)
# Other options go to bench/TrackingBench.java: --runs N (100000), --concurrency N (16), --batches N (3000),
# --history-points N (100000), --search-max-results N (100).
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

if [[ " $* " == *" --url "* ]]; then
  exec java "$repo/bench/TrackingBench.java" "$@"
fi

home="$(mktemp -d /tmp/quarkflow-bench.XXXXXX)"
# tracking-service is measured on its own port, not through the gateway (gateway/bench/ measures what that adds).
# Every port differs from a default ./quarkflow start, so the benchmark can run next to one.
port="${QUARKFLOW_TRACKING_PORT:-5055}"
QUARKFLOW_HOME="$home" QUARKFLOW_TRACKING_PORT="$port" QUARKFLOW_DB_PORT="${QUARKFLOW_DB_PORT:-5444}" \
  QUARKFLOW_PORT=$((port + 1)) QUARKFLOW_ARTIFACT_PORT=$((port + 2)) QUARKFLOW_GATEWAY_MANAGEMENT_PORT=$((port + 3)) \
  QUARKFLOW_KAFKA_PORT=$((port + 4)) QUARKFLOW_KAFKA_CONTROLLER_PORT=$((port + 5)) \
  "$repo/quarkflow" start --build > "$home/suite.log" 2>&1 &
suite=$!
# "|| true": under set -e the wait's non-zero status would end the trap before rm.
trap 'kill $suite 2>/dev/null || true; wait $suite 2>/dev/null || true; rm -rf "$home"' EXIT
for _ in $(seq 1 120); do
  grep -q "Quarkflow is running" "$home/suite.log" && break
  kill -0 $suite 2>/dev/null || { cat "$home/suite.log"; exit 1; }
  sleep 1
done
# The tracking-service process: the java child whose environment names its port.
pid=""
for p in $(pgrep -f "quarkus-run.jar"); do
  if [[ "$(tr '\0' ' ' < "/proc/$p/environ" 2>/dev/null)" == *"QUARKUS_HTTP_PORT=$port "* ]]; then pid="$p"; fi
done
java "$repo/bench/TrackingBench.java" --url "http://127.0.0.1:$port" --pid "$pid" "$@"
