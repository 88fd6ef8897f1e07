#!/usr/bin/env bash
# Streams large files up and down through the artifact proxy with curl and prints the throughput and the
# service's peak resident memory (VmHWM), which must not grow with the file size.
#
#   artifact-service/bench/bench.sh [size in MB ...]          sizes default to 200
#   JAVA_OPTS=-Xmx64m artifact-service/bench/bench.sh 200 1024  prove the heap stays small
#   BACKEND=s3 artifact-service/bench/bench.sh                  through S3 (a standalone S3Proxy on disk)
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
jar="$repo/artifact-service/target/quarkus-app/quarkus-run.jar"
backend="${BACKEND:-local}"
port="${PORT:-15099}"
s3_port=$((port + 1))
work="$(mktemp -d)"
pids=()

cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT

wait_for() {
  for _ in $(seq 1 100); do curl -sf -o /dev/null "$1" && return 0; sleep 0.2; done
  echo "not ready: $1" >&2; exit 1
}

[[ -f "$jar" ]] || (cd "$repo" && ./mvnw -q -pl artifact-service -DskipTests package)

service_config=(-Dquarkus.http.port="$port" -Dquarkflow.artifact.local.root="$work/root")
if [[ "$backend" == s3 ]]; then
  # S3Proxy comes from the module's test classpath; its filesystem store keeps the bytes on disk, not in memory.
  (cd "$repo" && ./mvnw -q -pl artifact-service dependency:build-classpath -Dmdep.includeScope=test \
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
  pids+=($!)
  sleep 3
  service_config+=(-Dquarkflow.artifact.backend=s3 -Dquarkflow.artifact.s3.endpoint="http://127.0.0.1:$s3_port"
    -Dquarkflow.artifact.s3.bucket=artifacts -Dquarkflow.artifact.s3.access-key=bench
    -Dquarkflow.artifact.s3.secret-key=bench-secret)
fi

# shellcheck disable=SC2086 # JAVA_OPTS is a list of options
java ${JAVA_OPTS:-} "${service_config[@]}" -jar "$jar" > "$work/service.log" 2>&1 &
service=$!
pids+=("$service")
wait_for "http://127.0.0.1:$port/q/health/ready"
url="http://127.0.0.1:$port/api/2.0/mlflow-artifacts/artifacts/bench"

echo "backend: $backend, JAVA_OPTS: ${JAVA_OPTS:-(none)}, after start VmHWM: $(awk '/VmHWM/ {print $2 / 1024 " MB"}' /proc/$service/status)"
for size in "${@:-200}"; do
  head -c "${size}M" /dev/urandom > "$work/in.bin"
  up=$(curl -sSf -T "$work/in.bin" -o /dev/null -w '%{speed_upload}' "$url/$size.bin")
  down=$(curl -sSf -o "$work/out.bin" -w '%{speed_download}' "$url/$size.bin")
  cmp -s "$work/in.bin" "$work/out.bin" || { echo "download of $size MB differs from the upload" >&2; exit 1; }
  rm -f "$work/in.bin" "$work/out.bin"
  awk -v size="$size" -v up="$up" -v down="$down" -v rss="$(awk '/VmHWM/ {print $2}' /proc/$service/status)" \
    'BEGIN { printf "%6d MB: upload %6.1f MB/s, download %6.1f MB/s, peak RSS so far %.0f MB\n",
             size, up / 1048576, down / 1048576, rss / 1024 }'
done
