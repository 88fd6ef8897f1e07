#!/usr/bin/env bash
# startup-rss: what each process of a local suite costs: how long it takes to start and how much memory it holds,
# idle and after a short load through the gateway (bench/SuiteLoad.py: a few hundred MLflow requests, 20 artifacts
# up and down, a few project runs on the local backend).
#   bench/startup-rss.sh [--idle-seconds 20] [--runs 100] [--project-runs 3]
# It starts its own suite (free ports, data in a temporary directory) from the jars already under */target
# (./quarkflow start builds only what is missing); QUARKFLOW_JAVA_OPTS and QUARKFLOW_KAFKA_HEAP_OPTS apply.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

idle_seconds=20
load_options=()
while [[ $# -gt 0 ]]; do
  case "$1" in
    --idle-seconds) [[ $# -ge 2 ]] || fail "$1 needs a value"; idle_seconds=$2; shift 2 ;;
    --runs | --project-runs)
      [[ $# -ge 2 ]] || fail "$1 needs a value"
      load_options+=("$1" "$2"); shift 2 ;;
    -h | --help) sed -n '2,/^[^#]/ s/^# \{0,1\}//p' "${BASH_SOURCE[0]}"; exit 0 ;;
    *) fail "unknown option $1" ;;
  esac
done

# process_age_ms PID: how long ago the process started (its start in clock ticks since boot, against /proc/uptime).
process_age_ms() {
  local ticks uptime
  ticks=$(sed 's/^.*) //' "/proc/$1/stat" | awk '{ print $20 }') # field 22, counted after the command's name
  uptime=$(cut -d' ' -f1 /proc/uptime)
  awk -v ticks="$ticks" -v hz="$(getconf CLK_TCK)" -v up="$uptime" 'BEGIN { printf "%d\n", (up - ticks / hz) * 1000 }'
}

# line_age_ms TIME: how long ago a log line's time of day was ("21:05:00,123", "21:05:00.123", with a date or not).
line_age_ms() { echo $(( $(date +%s%3N) - $(date -d "$(tr ',' '.' <<< "$1")" +%s%3N) )); }

# ready_after PID TIME: from the process's start to the log line saying it is ready, in seconds.
ready_after() {
  awk -v process="$(process_age_ms "$1")" -v line="$(line_age_ms "$2")" \
    'BEGIN { printf "%.2f s\n", (process - line) / 1000 }'
}

# pss_mb PID...: their proportional set sizes, summed: shared pages (PostgreSQL's shared buffers) count once.
pss_mb() {
  cat $(printf '/proc/%s/smaps_rollup ' "$@") | awk '$1 == "Pss:" { kb += $2 } END { printf "%d\n", kb / 1024 }'
}

mkdir "$work/project"
cat > "$work/project/MLproject" << 'EOF'
name: startup-rss
entry_points:
  main:
    command: "echo done"
EOF

echo "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg);" \
  "service JVMs: ${QUARKFLOW_JAVA_OPTS-"-Xms48m -Xmx160m -XX:+UseSerialGC -XX:ReservedCodeCacheSize=64m -XX:TrimNativeHeapInterval=10000 (default)"}"
start_suite
echo "suite started; idle for $idle_seconds s"
sleep "$idle_seconds"

services=(gateway:$gateway_port tracking-service:$tracking_port artifact-service:$artifact_port
  projects-service:$projects_port launcher:$launcher_port)
declare -A pid started_in ready idle
for service in "${services[@]}"; do
  name=${service%:*}
  pid[$name]=$(service_pid "${service#*:}")
  line=$(grep -m1 -E "[[:space:]]$name [^ ]+ on JVM .* started in [0-9.]+s" "$work/suite.log") \
    || fail "no \"started in\" line of $name in $work/suite.log"
  started_in[$name]=$(sed -E 's/.* started in ([0-9.]+)s.*/\1 s/' <<< "$line")
  ready[$name]=$(ready_after "${pid[$name]}" "$(cut -c1-23 <<< "$line")")
done
pid[kafka]=$(pgrep -P "$suite_pid" -f kafka.Kafka) || fail "no Kafka among the suite's children"
kafka_line=$(grep -m1 "Kafka Server started" "$work/suite.log") || fail "no \"Kafka Server started\" line"
ready[kafka]=$(ready_after "${pid[kafka]}" "$(cut -d' ' -f1 <<< "$kafka_line")")
postmaster=$(head -n 1 "$work/postgres/postmaster.pid")
postgres_line=$(grep -m1 "database system is ready to accept connections" "$work/postgres.log") \
  || fail "no \"ready to accept connections\" line in $work/postgres.log"
ready[postgresql]=$(ready_after "$postmaster" "$(cut -d' ' -f1-3 <<< "$postgres_line")")
postgres_processes() { echo "$postmaster" $(pgrep -P "$postmaster"); }

for name in "${!pid[@]}"; do idle[$name]=$(memory_mb "${pid[$name]}" VmRSS); done
idle[postgresql]=$(pss_mb $(postgres_processes))

python3 "$repo/bench/SuiteLoad.py" --url "http://127.0.0.1:$gateway_port" --token-file "$work/token" \
  --project "$work/project" "${load_options[@]}" \
  || { cp "$work/suite.log" /tmp/quarkflow-bench-startup-rss.log
       fail "the load failed; the suite's log is in /tmp/quarkflow-bench-startup-rss.log"; }

echo
echo "Startup, and resident memory in MB: idle $idle_seconds s after the start, then after the load (and the peak)"
printf '%-18s %10s %11s %9s %11s %6s\n' process "started in" "ready after" "RSS idle" "after load" peak
total_idle=0 total_loaded=0
for name in gateway tracking-service artifact-service projects-service launcher kafka; do
  loaded=$(memory_mb "${pid[$name]}" VmRSS)
  printf '%-18s %10s %11s %9s %11s %6s\n' "$name" "${started_in[$name]:--}" "${ready[$name]}" "${idle[$name]}" \
    "$loaded" "$(memory_mb "${pid[$name]}" VmHWM)"
  total_idle=$((total_idle + idle[$name])) total_loaded=$((total_loaded + loaded))
done
loaded=$(pss_mb $(postgres_processes))
printf '%-18s %10s %11s %9s %11s %6s\n' postgresql - "${ready[postgresql]}" "${idle[postgresql]}" "$loaded" -
total_idle=$((total_idle + idle[postgresql])) total_loaded=$((total_loaded + loaded))
printf '%-18s %10s %11s %9s %11s\n' total "" "" "$total_idle" "$total_loaded"
echo "started in: Quarkus's own figure; ready after: from the process's start to its ready line in the log (for"
echo "PostgreSQL, from the postmaster's start: initdb, on a first start, comes before it)."
echo "Memory: VmRSS of each JVM (peak: VmHWM); for PostgreSQL the proportional set size (PSS) of its" \
  "$(wc -w <<< "$(postgres_processes)") processes, shared memory counted once."
