#!/usr/bin/env bash
# gateway: what the gateway costs. Starts a suite (rebuilt first unless --no-build) and prints
#   (a) a large upload and download through the gateway and straight to artifact-service: MB/s, and the resident
#       memory of the gateway and of artifact-service (sampled during each transfer, and VmHWM, the peak since start);
#   (b) p50/p99 of a small GET straight to tracking-service and through the gateway (GatewayLatency.java).
#   bench/run.sh gateway [--no-build] [--size-mb 1024] [--requests 5000] [--warmup 2000] [--concurrency 8]
#   QUARKFLOW_JAVA_OPTS=-Xmx64m bench/run.sh gateway     every service with a 64 MB heap: streaming needs no more
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

build=(--build) size_mb=1024 requests=5000 warmup=2000 concurrency=8
while [[ $# -gt 0 ]]; do
  case "$1" in
    --no-build) build=(); shift ;;
    --size-mb) size_mb="$2"; shift 2 ;;
    --requests) requests="$2"; shift 2 ;;
    --warmup) warmup="$2"; shift 2 ;;
    --concurrency) concurrency="$2"; shift 2 ;;
    *) fail "unknown option $1" ;;
  esac
done

start_suite "${build[@]}"
gateway_pid=$(service_pid "$gateway_port")
artifact_pid=$(service_pid "$artifact_port")
gateway="http://127.0.0.1:$gateway_port" direct_artifacts="http://127.0.0.1:$artifact_port"
auth=(-H "Authorization: Bearer $(cat "$work/token")")
api() { curl -sSf "${auth[@]}" -H 'Content-Type: application/json' "$gateway/api/2.0/mlflow/$1" -d "$2"; }
experiment=$(api experiments/create "{\"name\":\"gateway-bench-$$\"}" | sed -E 's/.*"experiment_id":"([^"]+)".*/\1/')
run=$(api runs/create "{\"experiment_id\":\"$experiment\"}" | sed -E 's/.*"run_id":"([^"]+)".*/\1/')
artifacts_path="api/2.0/mlflow-artifacts/artifacts/$experiment/$run/artifacts"

# The JVM options the suite gave its services, read back from the gateway's command line.
jvm_options=$(tr '\0' '\n' < "/proc/$gateway_pid/cmdline" \
  | awk 'NR > 1 && $0 == "-jar" { exit } NR > 1 { printf "%s%s", sep, $0; sep = " " }')

echo "creating a ${size_mb} MB file of random bytes"
head -c "${size_mb}M" /dev/urandom > "$work/in.bin"
echo
echo "(a) ${size_mb} MB streamed with curl; JVM options of the services: ${jvm_options:-(none)}"
echo "before the transfers: VmHWM gateway $(memory_mb "$gateway_pid" VmHWM) MB," \
  "artifact-service $(memory_mb "$artifact_pid" VmHWM) MB"
printf '%-10s %-18s %9s %22s %26s\n' transfer path MB/s "gateway RSS max (MB)" "artifact-service RSS max (MB)"
max() { echo $(($1 > $2 ? $1 : $2)); }
# transfer DIRECTION LABEL BASE-URL [curl options]: one transfer in the background while the highest VmRSS of both
# services is sampled every 100 ms.
transfer() {
  local direction=$1 label=$2 gmax=0 amax=0 curl_pid
  local url="$3/$artifacts_path/$label-$size_mb.bin"
  shift 3
  if [[ $direction == upload ]]; then
    curl -sSf "$@" -T "$work/in.bin" -o /dev/null -w '%{speed_upload}' "$url" > "$work/speed" &
  else
    curl -sSf "$@" -o "$work/out.bin" -w '%{speed_download}' "$url" > "$work/speed" &
  fi
  curl_pid=$!
  while kill -0 "$curl_pid" 2>/dev/null; do
    gmax=$(max "$gmax" "$(memory_mb "$gateway_pid" VmRSS)")
    amax=$(max "$amax" "$(memory_mb "$artifact_pid" VmRSS)")
    sleep 0.1
  done
  wait "$curl_pid" || fail "the $direction $label failed"
  if [[ $direction == download ]]; then
    cmp -s "$work/in.bin" "$work/out.bin" || fail "the $label download differs from the upload"
    rm -f "$work/out.bin"
  fi
  awk -v d="$direction" -v l="$label" -v s="$(cat "$work/speed")" -v g="$gmax" -v a="$amax" \
    'BEGIN { printf "%-10s %-18s %9.1f %22s %26s\n", d, l, s / 1048576, g, a }'
}
transfer upload gateway "$gateway" "${auth[@]}"
direct_auth=(-H "X-Quarkflow-Internal-Key: $(internal_key "$artifact_port")" -H "X-Quarkflow-User: local")
transfer upload direct "$direct_artifacts" "${direct_auth[@]}"
transfer download gateway "$gateway" "${auth[@]}"
transfer download direct "$direct_artifacts" "${direct_auth[@]}"
rm -f "$work/in.bin"
echo "peak RSS since start (VmHWM): gateway $(memory_mb "$gateway_pid" VmHWM) MB," \
  "artifact-service $(memory_mb "$artifact_pid" VmHWM) MB"
echo

echo "(b) added latency"
QUARKFLOW_INTERNAL_KEY=$(internal_key "$tracking_port") java "$repo/bench/GatewayLatency.java" --direct "http://127.0.0.1:$tracking_port" --gateway "$gateway" \
  --token "$(cat "$work/token")" --requests "$requests" --warmup "$warmup" --concurrency "$concurrency"
