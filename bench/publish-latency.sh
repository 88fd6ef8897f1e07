#!/usr/bin/env bash
# publish-latency: how long run lifecycle events take from their commit to Kafka. The harness (bench/publish-latency,
# PublishLatencyBench) starts its own PostgreSQL, Kafka broker and tracking-service on free ports, creates, finishes
# and deletes runs from several HTTP clients (four events per run) and prints p50/p99/max.
#   bench/run.sh publish-latency [--no-build] [--events 10000] [--clients 8] [--no-listen]
# tracking-service and the harness are built first (--no-build takes the built jars); --no-listen has the outbox
# relay rely on its one-second poll instead of PostgreSQL LISTEN/NOTIFY.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

build=true options=()
while [[ $# -gt 0 ]]; do
  case "$1" in
    --no-build) build=false; shift ;;
    --events | --clients) options+=("$1" "$2"); shift 2 ;;
    --no-listen) options+=("$1"); shift ;;
    *) fail "unknown option $1" ;;
  esac
done

harness="$repo/bench/publish-latency/target"
service="$repo/tracking-service/target/quarkus-app/quarkus-run.jar"
if $build || [[ ! -f "$service" || ! -f "$harness/publish-latency-bench.jar" ]]; then
  package_modules tracking-service,bench/publish-latency
fi
java -cp "$harness/publish-latency-bench.jar:$harness/lib/*" \
  io.quarkflow.bench.PublishLatencyBench "$service" "${options[@]}"
