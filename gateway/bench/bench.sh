#!/usr/bin/env bash
# What the gateway costs: starts a local suite with authentication on (its own ports and a temporary home, so it can
# run next to ./quarkflow start), then prints
#   (a) a large upload and download through the gateway and straight to artifact-service: MB/s, and the resident
#       memory of the gateway and of artifact-service (sampled during each transfer, and VmHWM, the peak since start);
#   (b) p50/p99 of a small GET straight to tracking-service and through the gateway (gateway/bench/GatewayLatency.java).
#
#   gateway/bench/bench.sh [--no-build] [--size-mb 1024] [--requests 5000] [--concurrency 8]
#   QUARKFLOW_JAVA_OPTS=-Xmx64m gateway/bench/bench.sh     every service with a 64 MB heap: streaming needs no more
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
build=--build size_mb=1024 requests=5000 concurrency=8
while [[ $# -gt 0 ]]; do
  case "$1" in
    --no-build) build=""; shift ;;
    --size-mb) size_mb="$2"; shift 2 ;;
    --requests) requests="$2"; shift 2 ;;
    --concurrency) concurrency="$2"; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done

base="${BENCH_PORT:-5155}"
gateway_port=$base tracking_port=$((base + 1)) artifact_port=$((base + 2))
home="$(mktemp -d /tmp/quarkflow-gateway-bench.XXXXXX)"
suite="" sampler=""
cleanup() { # "|| true": under set -e a failing kill or wait would end the trap before rm
  [[ -z "$sampler" ]] || kill "$sampler" 2>/dev/null || true
  if [[ -n "$suite" ]]; then kill "$suite" 2>/dev/null || true; wait "$suite" 2>/dev/null || true; fi
  rm -rf "$home"
}
trap cleanup EXIT

QUARKFLOW_HOME="$home" QUARKFLOW_AUTH=on QUARKFLOW_PORT=$gateway_port QUARKFLOW_TRACKING_PORT=$tracking_port \
  QUARKFLOW_ARTIFACT_PORT=$artifact_port QUARKFLOW_GATEWAY_MANAGEMENT_PORT=$((base + 3)) \
  QUARKFLOW_KAFKA_PORT=$((base + 4)) QUARKFLOW_KAFKA_CONTROLLER_PORT=$((base + 5)) QUARKFLOW_DB_PORT=$((base + 6)) \
  "$repo/quarkflow" start $build > "$home/suite.log" 2>&1 &
suite=$!
for _ in $(seq 1 300); do
  grep -q "Quarkflow is running" "$home/suite.log" && break
  kill -0 $suite 2>/dev/null || { cat "$home/suite.log"; exit 1; }
  sleep 1
done
grep -q "Quarkflow is running" "$home/suite.log" || { cat "$home/suite.log"; exit 1; }

# A service's process: the java child whose environment names its port.
pid_on_port() {
  for p in $(pgrep -f "quarkus-run.jar"); do
    if [[ "$(tr '\0' ' ' < "/proc/$p/environ" 2>/dev/null)" == *"QUARKUS_HTTP_PORT=$1 "* ]]; then echo "$p"; fi
  done
}
gateway_pid="$(pid_on_port $gateway_port)" artifact_pid="$(pid_on_port $artifact_port)"
kb() { awk -v key="$2:" '$1 == key { print $2 }' "/proc/$1/status"; }
mb() { echo $(( $1 / 1024 )); }

gateway="http://127.0.0.1:$gateway_port" direct_artifacts="http://127.0.0.1:$artifact_port"
auth=(-H "Authorization: Bearer $(cat "$home/token")")
api() { curl -sSf "${auth[@]}" -H 'Content-Type: application/json' "$gateway/api/2.0/mlflow/$1" -d "$2"; }
experiment=$(api experiments/create "{\"name\":\"gateway-bench-$$\"}" | sed -E 's/.*"experiment_id":"([^"]+)".*/\1/')
run=$(api runs/create "{\"experiment_id\":\"$experiment\"}" | sed -E 's/.*"run_id":"([^"]+)".*/\1/')
artifacts_path="api/2.0/mlflow-artifacts/artifacts/$experiment/$run/artifacts"

# Highest VmRSS of both services while a transfer runs, sampled every 100 ms into a file.
start_sampling() {
  echo "0 0" > "$home/rss"
  (gmax=0 amax=0
   while true; do
     g=$(kb "$gateway_pid" VmRSS) a=$(kb "$artifact_pid" VmRSS)
     (( g > gmax )) && gmax=$g; (( a > amax )) && amax=$a
     echo "$gmax $amax" > "$home/rss.tmp" && mv "$home/rss.tmp" "$home/rss"
     sleep 0.1
   done) &
  sampler=$!
}
stop_sampling() { kill "$sampler"; wait "$sampler" 2>/dev/null || true; sampler=""; }

echo "creating a ${size_mb} MB file of random bytes"
head -c "${size_mb}M" /dev/urandom > "$home/in.bin"
echo
echo "(a) ${size_mb} MB streamed with curl; JVM options of the services: ${QUARKFLOW_JAVA_OPTS:--Xmx192m}"
echo "before the transfers: VmHWM gateway $(mb "$(kb "$gateway_pid" VmHWM)") MB," \
  "artifact-service $(mb "$(kb "$artifact_pid" VmHWM)") MB"
printf '%-10s %-18s %9s %22s %26s\n' transfer path MB/s "gateway RSS max (MB)" "artifact-service RSS max (MB)"
transfer() { # direction, label, base URL, curl options...
  local direction=$1 label=$2 speed
  local url="$3/$artifacts_path/$label-$size_mb.bin"
  shift 3
  start_sampling
  if [[ $direction == upload ]]; then
    speed=$(curl -sSf "$@" -T "$home/in.bin" -o /dev/null -w '%{speed_upload}' "$url")
  else
    speed=$(curl -sSf "$@" -o "$home/out.bin" -w '%{speed_download}' "$url")
  fi
  stop_sampling
  read -r gmax amax < "$home/rss"
  if [[ $direction == download ]]; then
    cmp -s "$home/in.bin" "$home/out.bin" || { echo "the $label download differs from the upload" >&2; exit 1; }
    rm -f "$home/out.bin"
  fi
  awk -v d="$direction" -v l="$label" -v s="$speed" -v g="$(mb "$gmax")" -v a="$(mb "$amax")" \
    'BEGIN { printf "%-10s %-18s %9.1f %22s %26s\n", d, l, s / 1048576, g, a }'
}
transfer upload gateway "$gateway" "${auth[@]}"
transfer upload direct "$direct_artifacts"
transfer download gateway "$gateway" "${auth[@]}"
transfer download direct "$direct_artifacts"
rm -f "$home/in.bin"
echo "peak RSS since start (VmHWM): gateway $(mb "$(kb "$gateway_pid" VmHWM)") MB," \
  "artifact-service $(mb "$(kb "$artifact_pid" VmHWM)") MB"
echo

echo "(b) added latency"
java "$repo/gateway/bench/GatewayLatency.java" --direct "http://127.0.0.1:$tracking_port" --gateway "$gateway" \
  --token "$(cat "$home/token")" --requests "$requests" --concurrency "$concurrency"
