#!/usr/bin/env bash
# project-launch: how long a project-run submission takes to become a Kubernetes Job, and that a request delivered
# twice makes one Job. The harness (bench/project-launch, ProjectLaunchBench) starts PostgreSQL, a Kafka broker, the
# fabric8 Kubernetes API server in CRUD mode, a Git repository served over git://, and tracking-service,
# projects-service and the launcher on free ports (no gateway); submits the project from several HTTP clients, then
# publishes a fraction of the requests to Kafka again, and prints p50/p99 of submit -> Job ADDED and the Job count.
#   bench/run.sh project-launch [--no-build] [--count 1000] [--duplicates 0.1] [--concurrency 8] [--warmup 50]
#                               [--git-server daemon|http]
# The three services and the harness are built first (--no-build takes the built jars). It exits non-zero unless
# there is exactly one Job per measured submission (--count Jobs, besides the --warmup round's).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

build=true options=()
while [[ $# -gt 0 ]]; do
  case "$1" in
    --no-build) build=false; shift ;;
    --count | --duplicates | --concurrency | --warmup | --git-server)
      [[ $# -ge 2 ]] || fail "$1 needs a value"
      options+=("$1" "$2"); shift 2 ;;
    -h | --help) sed -n '2,/^[^#]/ s/^# \{0,1\}//p' "${BASH_SOURCE[0]}"; exit 0 ;;
    *) fail "unknown option $1" ;;
  esac
done

harness="$repo/bench/project-launch/target"
services=(tracking-service projects-service launcher)
jars=()
missing=false
for service in "${services[@]}"; do
  jars+=("$repo/$service/target/quarkus-app/quarkus-run.jar")
  [[ -f "${jars[-1]}" ]] || missing=true
done
if $build || $missing || [[ ! -f "$harness/project-launch-bench.jar" ]]; then
  package_modules tracking-service,projects-service,launcher,bench/project-launch
fi
java -cp "$harness/project-launch-bench.jar:$harness/lib/*" \
  io.quarkflow.bench.ProjectLaunchBench "${jars[@]}" "${options[@]}"
