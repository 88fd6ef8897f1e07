#!/usr/bin/env bash
# Prints Quarkflow's run lifecycle events as they arrive, key (run id) and CloudEvent, with Kafka's console consumer:
#   deploy/kafka/watch-run-events.sh [--from-beginning]
# QUARKFLOW_KAFKA_PORT (9092) names the broker started by start-kafka.sh; QUARKFLOW_EVENTS_TOPIC another topic, e.g.
# quarkflow.registry-events for the model registry's changes (key: the registered model's name).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
if ! compgen -G "$here/target/lib/kafka-tools-*.jar" > /dev/null; then
  (cd "$here/../.." && ./mvnw -q -pl deploy/kafka package)
fi
exec java -Dlog4j2.configurationFile="$here/log4j2.properties" -cp "$here/target/lib/*" \
  org.apache.kafka.tools.consumer.ConsoleConsumer --bootstrap-server "127.0.0.1:${QUARKFLOW_KAFKA_PORT:-9092}" \
  --topic "${QUARKFLOW_EVENTS_TOPIC:-quarkflow.run-events}" --property print.key=true "$@"
