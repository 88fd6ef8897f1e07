#!/usr/bin/env bash
# Starts a single-node Kafka (KRaft broker and controller in one JVM) for local use, from Kafka's own jars:
#   deploy/kafka/start-kafka.sh          then point services at kafka.bootstrap.servers=127.0.0.1:9092
# Settings: QUARKFLOW_KAFKA_PORT (9092), QUARKFLOW_KAFKA_CONTROLLER_PORT (the Kafka port + 1, so that a second
# broker on other ports needs only the one variable), QUARKFLOW_KAFKA_HEAP_OPTS (-Xms32m -Xmx256m),
# QUARKFLOW_HOME (./.quarkflow; topics are kept in $QUARKFLOW_HOME/kafka across restarts). Ctrl-C stops it.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
port="${QUARKFLOW_KAFKA_PORT:-9092}"
controller_port="${QUARKFLOW_KAFKA_CONTROLLER_PORT:-$((port + 1))}"
home="$(mkdir -p "${QUARKFLOW_HOME:-$repo/.quarkflow}/kafka" && cd "${QUARKFLOW_HOME:-$repo/.quarkflow}/kafka" && pwd)"
lib="$here/target/lib"

if ! compgen -G "$lib/kafka-tools-*.jar" > /dev/null; then
  (cd "$repo" && ./mvnw -q -pl deploy/kafka package)
fi

# Rewritten on every start so that changed ports apply; the node id and cluster id live in the data.
cat > "$home/server.properties" <<PROPERTIES
process.roles=broker,controller
node.id=1
listeners=PLAINTEXT://127.0.0.1:$port,CONTROLLER://127.0.0.1:$controller_port
advertised.listeners=PLAINTEXT://127.0.0.1:$port
controller.listener.names=CONTROLLER
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
controller.quorum.voters=1@127.0.0.1:$controller_port
log.dirs=$home/data
offsets.topic.replication.factor=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
group.initial.rebalance.delay.ms=0
# The log cleaner (compacted topics: consumer offsets) takes a 128 MiB buffer by default; 16 MiB holds the keys of a
# laptop's topics, and keeps the broker under 300 MB resident with the small heap below.
log.cleaner.dedupe.buffer.size=16777216
PROPERTIES

kafka() { java -Dlog4j2.configurationFile="$here/log4j2.properties" -cp "$lib/*" "$@"; }

if [[ ! -f "$home/data/meta.properties" ]]; then
  kafka kafka.tools.StorageTool format -t "$(kafka kafka.tools.StorageTool random-uuid)" -c "$home/server.properties"
fi
echo "Starting Kafka on 127.0.0.1:$port (kafka.bootstrap.servers=127.0.0.1:$port), data in $home/data"
# A local broker's few topics need little heap (Kafka's own default is 1 GB).
read -r -a heap <<< "${QUARKFLOW_KAFKA_HEAP_OPTS:--Xms32m -Xmx256m}"
exec java "${heap[@]}" -Dlog4j2.configurationFile="$here/log4j2.properties" -cp "$lib/*" kafka.Kafka \
  "$home/server.properties"
