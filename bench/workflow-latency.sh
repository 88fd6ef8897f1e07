#!/usr/bin/env bash
# workflow-latency: how long a workflow's second step waits once its first has ended, on the local backend: from
# the first step's run.terminated event to the second step's run RUNNING (CloudEvents times on Kafka), p50/p99 over
# --count two-step workflows of trivial steps (echo) submitted through the gateway of a suite started here.
#   bench/run.sh workflow-latency [--count 100] [--concurrency 1] [--warmup 10]
# It runs the jars already under */target (./quarkflow start builds only what is missing) and exits non-zero unless
# every workflow ends FINISHED.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

options=()
while [[ $# -gt 0 ]]; do
  case "$1" in
    --count | --concurrency | --warmup)
      [[ $# -ge 2 ]] || fail "$1 needs a value"
      options+=("$1" "$2"); shift 2 ;;
    -h | --help) sed -n '2,/^[^#]/ s/^# \{0,1\}//p' "${BASH_SOURCE[0]}"; exit 0 ;;
    *) fail "unknown option $1" ;;
  esac
done

# The steps do nothing, so that what is measured is the platform's part.
mkdir "$work/project"
cat > "$work/project/MLproject" << 'EOF'
name: workflow-latency
entry_points:
  first:
    command: "echo first"
  second:
    command: "echo second"
EOF

start_suite
python3 "$repo/bench/WorkflowLatency.py" --url "http://127.0.0.1:$gateway_port" --token-file "$work/token" \
  --project "$work/project" --kafka-port "$kafka_port" "${options[@]}" \
  || { cp "$work/suite.log" /tmp/quarkflow-bench-workflow-latency.log
       fail "the suite's log is in /tmp/quarkflow-bench-workflow-latency.log"; }

echo "service memory at the end (VmRSS / VmHWM, MB):"
for service in gateway:$gateway_port tracking-service:$tracking_port artifact-service:$artifact_port \
  projects-service:$projects_port launcher:$launcher_port; do
  pid=$(service_pid "${service#*:}")
  printf '  %-18s %5s / %5s\n' "${service%:*}" "$(memory_mb "$pid" VmRSS)" "$(memory_mb "$pid" VmHWM)"
done
