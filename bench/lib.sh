# What the benchmark scripts share; each sources it after `set -euo pipefail`.
# A benchmark keeps its files in $work; when it exits, Ctrl-C included, what it started (stop_on_exit) is stopped
# and $work removed.

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
work="$(mktemp -d /tmp/quarkflow-bench.XXXXXX)"
stop_on_exit=()
taken_ports=()
# Set by start_suite.
suite_pid="" gateway_port="" tracking_port="" artifact_port="" projects_port="" launcher_port="" kafka_port=""

# Stops in reverse start order. "|| true": under set -e a failing kill or wait would end the trap before rm.
cleanup() {
  local i
  for ((i = ${#stop_on_exit[@]} - 1; i >= 0; i--)); do
    kill "${stop_on_exit[i]}" 2>/dev/null || true
    wait "${stop_on_exit[i]}" 2>/dev/null || true
  done
  rm -rf "$work"
}
trap cleanup EXIT

fail() { echo "$*" >&2; exit 1; }

# free_port VAR: sets VAR to a port nobody listens on. Random rather than fixed, so that benchmarks (and a default
# ./quarkflow start) can run side by side; ./quarkflow start checks again before it binds.
free_port() {
  local candidate # not "port": a local of that name would hide the caller's
  while true; do
    candidate=$((20000 + RANDOM % 12000))
    [[ " ${taken_ports[*]} " != *" $candidate "* ]] || continue
    ! (exec 3<>"/dev/tcp/127.0.0.1/$candidate") 2>/dev/null || continue
    taken_ports+=("$candidate")
    printf -v "$1" %s "$candidate"
    return
  done
}

# Packages modules, with what they depend on, for benchmarks that start jars themselves.
package_modules() { (cd "$repo" && ./mvnw -B -ntp -q -DskipTests -Djib.skip -pl "$1" -am package); }

# start_suite [--build]: ./quarkflow start with authentication on, every port free and its home in $work; returns once
# it is running. Sets suite_pid and the *_port variables above; the token is in $work/token.
start_suite() {
  local management_port kafka_controller_port db_port
  free_port gateway_port; free_port tracking_port; free_port artifact_port; free_port management_port
  free_port projects_port; free_port launcher_port
  free_port kafka_port; free_port kafka_controller_port; free_port db_port
  QUARKFLOW_HOME="$work" QUARKFLOW_AUTH=on QUARKFLOW_PORT="$gateway_port" QUARKFLOW_TRACKING_PORT="$tracking_port" \
    QUARKFLOW_ARTIFACT_PORT="$artifact_port" QUARKFLOW_GATEWAY_MANAGEMENT_PORT="$management_port" \
    QUARKFLOW_PROJECTS_PORT="$projects_port" QUARKFLOW_LAUNCHER_PORT="$launcher_port" \
    QUARKFLOW_KAFKA_PORT="$kafka_port" QUARKFLOW_KAFKA_CONTROLLER_PORT="$kafka_controller_port" \
    QUARKFLOW_DB_PORT="$db_port" "$repo/quarkflow" start "$@" > "$work/suite.log" 2>&1 &
  suite_pid=$!
  stop_on_exit+=("$suite_pid")
  for _ in $(seq 1 300); do # a --build takes a few minutes
    grep -q "Quarkflow is running" "$work/suite.log" && return
    kill -0 "$suite_pid" 2>/dev/null || break
    sleep 1
  done
  cat "$work/suite.log" >&2
  fail "the suite did not start"
}

# service_pid PORT: the suite's service on that HTTP port, the launcher's child whose environment names the port.
service_pid() {
  local pid
  for pid in $(pgrep -P "$suite_pid"); do
    if [[ "$(tr '\0' ' ' < "/proc/$pid/environ" 2>/dev/null)" == *"QUARKUS_HTTP_PORT=$1 "* ]]; then
      echo "$pid"
      return
    fi
  done
  fail "no service of the suite listens on port $1"
}

# internal_key PORT: the suite's internal key, which its service on that port requires of every caller but the gateway;
# a benchmark that measures a service directly sends it as X-Quarkflow-Internal-Key (with X-Quarkflow-User, the name
# the gateway would forward).
internal_key() { tr '\0' '\n' < "/proc/$(service_pid "$1")/environ" | sed -n 's/^QUARKFLOW_INTERNAL_KEY=//p'; }

# memory_mb PID KEY: a line of /proc/PID/status in MB; VmRSS is resident now, VmHWM the peak since the start.
memory_mb() { awk -v key="$2:" '$1 == key { printf "%d\n", $2 / 1024 }' "/proc/$1/status"; }
