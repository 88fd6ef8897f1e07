#!/usr/bin/env bash
# Runs one of Quarkflow's benchmarks; bench/README.md says what each measures and how to read its figures.
#   bench/run.sh <benchmark> [options]     tracking, artifacts, gateway, publish-latency,
#                                          project-launch, log-model, workflow-latency, ui,
#                                          startup-rss or versus-mlflow
#   bench/run.sh [options]                 no name is tracking: bench/run.sh --url http://host:5000 measures any
#                                          MLflow-compatible server
#   bench/run.sh --help                    this, and each benchmark's options
set -euo pipefail
bench="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

# A script's usage is its opening comment.
usage() { sed -n '2,/^[^#]/ s/^# \{0,1\}//p' "$1"; }

case "${1:-}" in
  -h | --help)
    usage "$0"
    for name in tracking artifacts gateway publish-latency project-launch log-model workflow-latency ui startup-rss \
      versus-mlflow; do
      echo
      usage "$bench/$name.sh"
    done
    ;;
  tracking | artifacts | gateway | publish-latency | project-launch | log-model | workflow-latency | ui \
    | startup-rss | versus-mlflow)
    name=$1
    shift
    exec bash "$bench/$name.sh" "$@"
    ;;
  "" | -*) exec bash "$bench/tracking.sh" "$@" ;;
  *) echo "unknown benchmark $1; bench/run.sh --help lists them" >&2; exit 2 ;;
esac
