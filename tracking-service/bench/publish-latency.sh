#!/usr/bin/env bash
# Publish latency of run lifecycle events, commit to Kafka, against a real PostgreSQL, broker and tracking-service:
#   tracking-service/bench/publish-latency.sh [events=10000] [clients=8] [listen=true]
# Builds tracking-service and the harness first; prints p50/p99/max (see PublishLatencyBench for what is measured).
set -euo pipefail

bench="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$bench/../.." && pwd)"
(cd "$repo" && ./mvnw -q -DskipTests -pl tracking-service,tracking-service/bench -am package)
exec java -cp "$bench/target/tracking-bench-0.1.0-SNAPSHOT.jar:$bench/target/lib/*" io.quarkflow.bench.PublishLatencyBench \
  "$repo/tracking-service/target/quarkus-app/quarkus-run.jar" "$@"
