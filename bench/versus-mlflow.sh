#!/usr/bin/env bash
# versus-mlflow: the same load against MLflow's own server and Quarkflow (via the gateway, with a token, and directly
# on tracking-service), one table with both figures and their ratio, then each process's memory and CPU seconds.
#   bench/run.sh versus-mlflow [--no-build] [--runs 10000[,100000]] [--duration 20] [--history-points 100000]
#                              [--connections 1,4,16,64] [--mlflow-line 2|3] [--stale-statistics]
#   bench/run.sh versus-mlflow --quick      a smoke run: --runs 1000 --duration 3 --history-points 10000
#                                           --connections 1,16
# MLflow (2.17 by default, gunicorn with 4 workers) keeps its data in a database of its own on the PostgreSQL the
# suite embeds. The load generators are wrk (writes and searches: bench/versus-*.lua) and bench/VersusMlflow.java (the
# rest, and all of it without wrk). The full run takes about half an hour.
# --stale-statistics turns PostgreSQL's autovacuum off from the start until the first searches after seeding are
# done, so those searches meet a planner that still believes the tables are (nearly) empty.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

build=(--build) sizes=10000 duration=20 history_points=100000 connections=1,4,16,64 mlflow_line=2 stale=false
while [[ $# -gt 0 ]]; do
  case "$1" in
    --no-build) build=(); shift ;;
    --stale-statistics) stale=true; shift ;;
    --quick) sizes=1000 duration=3 history_points=10000 connections=1,16; shift ;;
    --runs | --duration | --history-points | --connections | --mlflow-line)
      [[ $# -ge 2 ]] || fail "$1 needs a value"
      case "$1" in
        --runs) sizes=$2 ;; --duration) duration=$2 ;; --history-points) history_points=$2 ;;
        --connections) connections=$2 ;; --mlflow-line) mlflow_line=$2 ;;
      esac
      shift 2 ;;
    -h | --help) sed -n '2,/^[^#]/ s/^# \{0,1\}//p' "${BASH_SOURCE[0]}"; exit 0 ;;
    *) fail "unknown option $1" ;;
  esac
done
search_seconds=$(( duration / 2 > 3 ? duration / 2 : 3 ))

echo "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
py=$(MLFLOW_LINE=$mlflow_line "$repo/../shared/python-mlflow/setup.sh" "$HOME/.cache/quarkflow-mlflow-$mlflow_line" \
  | tail -1)
mlflow_name="MLflow $("$py" -c 'import mlflow; print(".".join(mlflow.__version__.split(".")[:2]))')"
javac -d "$work/classes" "$repo/bench/VersusMlflow.java"
load() { java -cp "$work/classes" VersusMlflow "$@" --results "$work/results"; }
notes=()

# MLflow runs in a process group of its own (gunicorn's master and workers are its children), stopped before the
# suite, whose PostgreSQL it uses.
mlflow_pid=""
stop_mlflow() {
  [[ -n "$mlflow_pid" ]] || return 0
  kill -- "-$mlflow_pid" 2>/dev/null || true
  wait "$mlflow_pid" 2>/dev/null || true
}
trap 'stop_mlflow; cleanup' EXIT

# One token sends up to 64 requests at once; the gateway's default refuses more than 32 in flight per identity (429).
export QUARKFLOW_GATEWAY_MAX_REQUESTS_PER_IDENTITY=${QUARKFLOW_GATEWAY_MAX_REQUESTS_PER_IDENTITY:-128}
start_suite "${build[@]}"
# Directly, a request must carry what the gateway adds: the suite's internal key (tracking-service refuses any other
# caller) and the user's name.
echo "Authorization: Bearer $(cat "$work/token")" > "$work/gateway.headers"
echo "X-Quarkflow-Internal-Key: $(internal_key "$tracking_port")" > "$work/direct.headers"
echo "X-Quarkflow-User: local" >> "$work/direct.headers" # the name the gateway forwards for the local token
gateway=gateway,http://127.0.0.1:$gateway_port,$work/gateway.headers
direct=direct,http://127.0.0.1:$tracking_port,$work/direct.headers

# sql DATABASE STATEMENT: runs it on the suite's PostgreSQL through psycopg2 (MLflow's venv has it), prints the rows.
db_port=$(sed -n 4p "$work/postgres/postmaster.pid")
sql() {
  "$py" - "$db_port" "$1" "$2" << 'EOF'
import sys, psycopg2
connection = psycopg2.connect(host="127.0.0.1", port=sys.argv[1], dbname=sys.argv[2], user="postgres",
                              password="postgres")
connection.autocommit = True
cursor = connection.cursor()
cursor.execute(sys.argv[3])
if cursor.description:
    print("\n".join(" ".join(str(value) for value in row) for row in cursor.fetchall()))
EOF
}

autovacuum() { sql postgres "ALTER SYSTEM SET autovacuum = $1"; sql postgres "SELECT pg_reload_conf()" > /dev/null; }

# The writes (log-batch, log-metric) and searches come from wrk when it is installed (apt-get install wrk): a C load
# generator of a few percent of a core. The Java one (VersusMlflow) needs about as much CPU per request as the
# service it measures, on the same two cores, and so understates whichever server is faster.
: > "$work/mlflow.headers"
# wrk_result TARGET SCRIPT CONNECTIONS WARMUP SECONDS: WARMUP seconds of bench/SCRIPT's load, unmeasured (0: none),
# then SECONDS measured; prints the measured run's result (requests, seconds, p50, p99, failed). SCRIPT reads what else
# it needs from the environment.
wrk_result() {
  local name url headers script=$2 connections=$3 warmup=$4 seconds=$5
  IFS=, read -r name url headers <<< "$1"
  [[ -n "$headers" ]] || headers=$work/mlflow.headers
  wrk_once() {
    HEADERS=$headers wrk -t "$((connections < 2 ? 1 : 2))" -c "$connections" -d "${1}s" --timeout 300s \
      -s "$repo/bench/$script" "$url" | sed -n 's/^result //p'
  }
  [[ "$warmup" == 0 ]] || wrk_once "$warmup" > /dev/null
  wrk_once "$seconds"
}
# record_result TARGET LABEL KIND POINTS RESULT: records a wrk_result under LABEL (none: unmeasured); no result, or
# any failed request, ends the benchmark.
record_result() {
  local name result
  IFS=, read -r name _ <<< "$1"
  read -r -a result <<< "$5"
  [[ ${#result[@]} -eq 5 ]] || fail "wrk gave no result for $2 on $name"
  [[ "${result[4]}" == 0 ]] || fail "$name: ${result[4]} of ${result[0]} requests failed ($2)"
  [[ -n "$2" ]] || return 0
  load record --target "$1" --label "$2" --kind "$3" --points "$4" \
    --requests "${result[0]}" --seconds "${result[1]}" --p50 "${result[2]}" --p99 "${result[3]}"
}
# wrk_rate TARGET LABEL KIND CONNECTIONS WARMUP SECONDS RUNS: one closed-loop measurement of log-batch (KIND batch) or
# log-metric (metric) over RUNS, recorded under LABEL (none: unmeasured).
wrk_rate() {
  record_result "$1" "$2" rate "$([[ $3 == batch ]] && echo 100 || echo 1)" \
    "$(RUNS=$7 KIND=$3 wrk_result "$1" versus-writes.lua "$4" "$5" "$6")"
}
# search EXPERIMENT SIZE STATE TARGET...: each search shape on each target in turn, 3 s of warm-up each (as the cold
# writes have), the first shape on each target as long a warm-up as its measurement: the first target would otherwise
# pay for the JIT compiling tracking-service's search path for both Quarkflow targets, which takes longer than 3 s at
# one connection (via the gateway, 2 s windows right after seeding: p50 6.5, 4.5, 4.1, 2.7, then 1.8 ms from the
# ninth second on; a benchmark run with 3 s measured 2.8 ms via the gateway, then 1.1 directly). wrk sends them when
# installed, as it sends the writes: the Java load generator's own latency at 16 connections on two cores (its p99
# 100-130 ms where wrk measured 30-45 ms against the same server) hid the servers' own.
search() {
  local experiment=$1 size=$2 state=$3 label kind connections expected body target targets=()
  shift 3
  if ! command -v wrk > /dev/null; then
    for target; do targets+=(--target "$target"); done
    load search --experiment "$experiment" --runs "$size" --duration "$search_seconds" --state "$state" "${targets[@]}"
    return
  fi
  local warmup=$search_seconds
  while IFS=$'\t' read -r label kind connections expected body; do
    printf '%s' "$body" > "$work/search.json"
    for target; do
      record_result "$target" "$label" "$kind" 1 "$(BODY=$work/search.json EXPECTED=$expected \
        wrk_result "$target" versus-search.lua "$connections" "$warmup" "$search_seconds" < /dev/null)" < /dev/null
    done
    warmup=3
  done < <(load shapes --experiment "$experiment" --runs "$size" --state "$state")
}
# cold_writes TARGET: right after the server started, 3 s of warm-up, then each path at 16 connections.
cold_writes() {
  if ! command -v wrk > /dev/null; then load cold --duration "$duration" --target "$1"; return; fi
  local runs
  runs=$(load runs --count 16 --target "$1")
  wrk_rate "$1" "cold: log-batch ×100, 16 conn" batch 16 3 "$duration" "$runs"
  wrk_rate "$1" "cold: log-metric, 16 conn" metric 16 3 "$duration" "$runs"
}
# warm_writes TARGET...: two unmeasured rounds of both paths at 16 connections, then each at every size.
warm_writes() {
  local target runs n
  if ! command -v wrk > /dev/null; then
    echo "wrk is not installed: the Java load generator measures the writes (apt-get install wrk)" >&2
    local targets=()
    for target; do targets+=(--target "$target"); done
    load warm --duration "$duration" --connections "$connections" "${targets[@]}"
    return
  fi
  for target; do
    runs=$(load runs --count 64 --target "$target")
    for _ in 1 2; do
      wrk_rate "$target" "" batch 16 0 "$duration" "$runs"
      wrk_rate "$target" "" metric 16 0 "$duration" "$runs"
    done
    for n in ${connections//,/ }; do wrk_rate "$target" "warm: log-batch ×100, $n conn" batch "$n" 0 "$duration" "$runs"; done
    for n in ${connections//,/ }; do wrk_rate "$target" "warm: log-metric, $n conn" metric "$n" 0 "$duration" "$runs"; done
  done
}
if $stale; then autovacuum off; fi
echo "suite started; cold: Quarkflow via the gateway"
cold_writes "$gateway"

# planner_view DATABASE: what the planner believes the tables hold (-1: never analyzed) against what they hold.
planner_view() {
  sql "$1" "SELECT string_agg(c.relname || ' ' || c.reltuples::bigint || '/' || s.n_live_tup, ', ' ORDER BY c.relname)
            FROM pg_class c JOIN pg_stat_user_tables s ON s.relid = c.oid
            WHERE c.relname IN ('runs', 'params', 'tags', 'latest_metrics')"
}

sql postgres "CREATE DATABASE mlflow"
free_port mlflow_port
server_options=(--workers 4)
[[ "$mlflow_line" == 2 ]] && server_options+=(--gunicorn-opts "--no-control-socket --timeout 600")
MLFLOW_DISABLE_TELEMETRY=true setsid "$py" -m mlflow server --host 127.0.0.1 --port "$mlflow_port" \
  --backend-store-uri "postgresql://postgres:postgres@127.0.0.1:$db_port/mlflow" \
  --serve-artifacts --artifacts-destination "$work/mlflow-artifacts" "${server_options[@]}" > "$work/mlflow.log" 2>&1 &
mlflow_pid=$!
for _ in $(seq 1 120); do
  curl -sf "http://127.0.0.1:$mlflow_port/health" > /dev/null && break
  kill -0 "$mlflow_pid" 2>/dev/null || { cat "$work/mlflow.log" >&2; fail "MLflow's server did not start"; }
  sleep 1
done
mlflow=mlflow,http://127.0.0.1:$mlflow_port
echo "$mlflow_name started; cold: MLflow"
cold_writes "$mlflow"

warm_writes "$mlflow" "$gateway" "$direct"

# seed_and_search DATABASE SIZE STATE SEED_TARGET SEARCH_TARGET...: seeds SIZE runs, searches them at once, runs
# ANALYZE, searches again. Quarkflow's two targets search the runs seeded through the gateway, in turn.
seed_and_search() {
  local database=$1 size=$2 state=$3 seed_target=$4 experiment
  shift 4
  experiment=$(load seed --runs "$size" --target "$seed_target")
  notes+=("$database, $state, before the searches: $(planner_view "$database")")
  search "$experiment" "$size" "$state" "$@"
  notes+=("$database, $state, after the searches: $(planner_view "$database")")
  local started=$SECONDS
  sql "$database" ANALYZE
  notes+=("$database: ANALYZE took $((SECONDS - started)) s")
  search "$experiment" "$size" "after ANALYZE" "$@"
}
first=true
for size in ${sizes//,/ }; do
  state="no ANALYZE"
  $first && state="fresh install"
  $first && $stale && state="fresh install, autovacuum off"
  first=false
  seed_and_search mlflow "$size" "$state" "$mlflow" "$mlflow"
  seed_and_search quarkflow "$size" "$state" "$gateway" "$gateway" "$direct"
  if $stale; then autovacuum on; stale=false; fi
  load seed --runs "$size" --target "$direct" > /dev/null # seeding's rate only
done

load history --points "$history_points" --duration "$search_seconds" --target "$mlflow" --target "$gateway" \
  --target "$direct"

# usage_row NAME PID...: VmRSS, VmHWM and PSS (shared pages counted once) summed in MB, and CPU seconds: user +
# system of each process, plus those of the children the first one has reaped (PostgreSQL's closed connections).
usage_row() {
  local name=$1 first=$2 pid ticks=0 files=() rss hwm pss
  shift
  for pid in "$@"; do
    [[ -r "/proc/$pid/stat" ]] || continue
    files+=("$pid")
    ticks=$((ticks + $(sed 's/^.*) //' "/proc/$pid/stat" \
      | awk -v own="$([[ $pid == "$first" ]] && echo 1 || echo 0)" '{ print $12 + $13 + own * ($14 + $15) }')))
  done
  read -r rss hwm < <(cat $(printf '/proc/%s/status ' "${files[@]}") 2> /dev/null \
    | awk '$1 == "VmRSS:" { r += $2 } $1 == "VmHWM:" { h += $2 } END { printf "%d %d\n", r / 1024, h / 1024 }')
  pss=$(cat $(printf '/proc/%s/smaps_rollup ' "${files[@]}") 2> /dev/null \
    | awk '$1 == "Pss:" { k += $2 } END { printf "%d\n", k / 1024 }')
  printf '%-32s %9s %9s %9s %9s %8s\n' "$name" "${#files[@]}" "$rss" "$hwm" "$pss" \
    "$(awk -v t="$ticks" -v hz="$(getconf CLK_TCK)" 'BEGIN { printf "%.1f", t / hz }')"
}
descendants() { local pid; for pid in $(pgrep -P "$1"); do echo "$pid"; descendants "$pid"; done; }

echo
load table --mlflow-name "$mlflow_name"
echo "What the planner believed the tables held (rows in pg_class, -1: never analyzed) / the rows they held:"
printf '  %s\n' "${notes[@]}"
echo
echo "Processes after the benchmark (MB; CPU seconds since each started):"
printf '%-32s %9s %9s %9s %9s %8s\n' process processes VmRSS VmHWM PSS CPU
mlflow_processes=("$mlflow_pid" $(descendants "$mlflow_pid"))
usage_row "$mlflow_name (all its processes)" "${mlflow_processes[@]}"
for pid in "${mlflow_processes[@]}"; do
  role=worker
  [[ $pid == "$mlflow_pid" ]] && role="mlflow server command"
  [[ $(ps -o ppid= -p "$pid") -eq $mlflow_pid ]] \
    && role="$(tr '\0' ' ' < "/proc/$pid/cmdline" | sed -n 's/.* -m \([^ ]*\) .*/\1/p') master"
  usage_row "  $pid $role" "$pid"
done
usage_row gateway "$(service_pid "$gateway_port")"
usage_row tracking-service "$(service_pid "$tracking_port")"
usage_row "Kafka (local)" "$(pgrep -P "$suite_pid" -f kafka.Kafka)"
postmaster=$(head -n 1 "$work/postgres/postmaster.pid")
usage_row "PostgreSQL (serves both)" "$postmaster" $(pgrep -P "$postmaster")
echo "VmHWM summed is the sum of each process's peak. MLflow's workers share pages with their master (fork), and"
echo "PostgreSQL's processes its shared buffers: PSS counts those once."
