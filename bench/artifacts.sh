#!/usr/bin/env bash
# artifacts: streams large files up and down through MLflow's artifact proxy API with curl, checks the bytes, and
# prints MB/s and the server's peak resident memory (VmHWM), which must not grow with the file size.
#   bench/run.sh artifacts [--no-build] [--size-mb 200 [--size-mb 1024 ...]] [--backend local|s3]
#   bench/run.sh artifacts --url URL [--pid PID] [--size-mb N ...]   a server already running: MLflow's own, say
# Without --url it starts artifact-service alone (built first; --no-build takes the built jar) on a temporary
# local root, or with --backend s3 on a standalone S3Proxy (bench/s3proxy/pom.xml) that keeps the bytes on disk.
# QUARKFLOW_JAVA_OPTS holds the service's JVM options (none by default), e.g. -Xmx64m to show that a small heap
# suffices. MLFLOW_TRACKING_TOKEN, when set, is sent as a bearer token (for a Quarkflow gateway).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

build=true sizes=() backend=local url="" pid=""
while [[ $# -gt 0 ]]; do
  case "$1" in
    --no-build) build=false; shift ;;
    --size-mb) sizes+=("$2"); shift 2 ;;
    --backend) backend="$2"; shift 2 ;;
    --url) url="${2%/}"; shift 2 ;;
    --pid) pid="$2"; shift 2 ;;
    *) fail "unknown option $1" ;;
  esac
done
[[ ${#sizes[@]} -gt 0 ]] || sizes=(200)
[[ "$backend" == local || "$backend" == s3 ]] || fail "--backend is local or s3"

# await URL [curl options]: until URL answers, for at most 20 s.
await() {
  for _ in $(seq 1 100); do curl -s -o /dev/null "${@:2}" "$1" && return; sleep 0.2; done
  fail "no answer from $1"
}

start_service() {
  local jar="$repo/artifact-service/target/quarkus-app/quarkus-run.jar" port s3_port
  if $build || [[ ! -f "$jar" ]]; then package_modules artifact-service; fi
  free_port port
  local config=(-Dquarkus.http.port="$port" -Dquarkflow.artifact.local.root="$work/root")
  if [[ "$backend" == s3 ]]; then
    free_port s3_port
    (cd "$repo" && ./mvnw -B -ntp -q -f bench/s3proxy/pom.xml dependency:build-classpath \
      -Dmdep.outputFile="$work/classpath")
    mkdir -p "$work/s3/artifacts"
    cat > "$work/s3proxy.conf" <<CONF
s3proxy.endpoint=http://127.0.0.1:$s3_port
s3proxy.authorization=aws-v2-or-v4
s3proxy.identity=bench
s3proxy.credential=bench-secret
jclouds.provider=filesystem-nio2
jclouds.identity=bench
jclouds.credential=bench-secret
jclouds.filesystem.basedir=$work/s3
CONF
    java -cp "$(cat "$work/classpath")" org.gaul.s3proxy.Main --properties "$work/s3proxy.conf" \
      > "$work/s3proxy.log" 2>&1 &
    stop_on_exit+=("$!")
    await "http://127.0.0.1:$s3_port/"
    config+=(-Dquarkflow.artifact.backend=s3 -Dquarkflow.artifact.s3.endpoint="http://127.0.0.1:$s3_port"
      -Dquarkflow.artifact.s3.bucket=artifacts -Dquarkflow.artifact.s3.access-key=bench
      -Dquarkflow.artifact.s3.secret-key=bench-secret)
  fi
  # shellcheck disable=SC2086 # QUARKFLOW_JAVA_OPTS is a list of options
  QUARKFLOW_INTERNAL_KEY="$internal_key" java ${QUARKFLOW_JAVA_OPTS:-} "${config[@]}" -jar "$jar" \
    > "$work/service.log" 2>&1 &
  pid=$!
  stop_on_exit+=("$pid")
  await "http://127.0.0.1:$port/q/health/ready" -f
  url="http://127.0.0.1:$port"
  echo "artifact-service, backend $backend, JVM options: ${QUARKFLOW_JAVA_OPTS:-(none)}"
}

peak_rss() { if [[ -n "$pid" ]]; then echo "$(memory_mb "$pid" VmHWM) MB"; else echo "unknown (no --pid)"; fi; }

# The service answers only callers with the suite's internal key: this script is one when it starts the service.
internal_key=$(head -c 32 /dev/urandom | base64 | tr -d '/+=\n')
if [[ -z "$url" ]]; then start_service; else echo "server $url"; fi
auth=()
[[ -z "${MLFLOW_TRACKING_TOKEN:-}" ]] || auth=(-H "Authorization: Bearer $MLFLOW_TRACKING_TOKEN")
[[ -z "$pid" ]] || auth+=(-H "X-Quarkflow-Internal-Key: $internal_key")
artifacts="$url/api/2.0/mlflow-artifacts/artifacts/bench-$$"
echo "peak RSS after start: $(peak_rss)"
for size in "${sizes[@]}"; do
  head -c "${size}M" /dev/urandom > "$work/in.bin"
  up=$(curl -sSf "${auth[@]}" -T "$work/in.bin" -o /dev/null -w '%{speed_upload}' "$artifacts/$size.bin")
  down=$(curl -sSf "${auth[@]}" -o "$work/out.bin" -w '%{speed_download}' "$artifacts/$size.bin")
  cmp -s "$work/in.bin" "$work/out.bin" || fail "the download of $size MB differs from the upload"
  rm -f "$work/in.bin" "$work/out.bin"
  awk -v size="$size" -v up="$up" -v down="$down" -v rss="$(peak_rss)" \
    'BEGIN { printf "%6d MB: upload %6.1f MB/s, download %6.1f MB/s, peak RSS so far %s\n",
             size, up / 1048576, down / 1048576, rss }'
done
