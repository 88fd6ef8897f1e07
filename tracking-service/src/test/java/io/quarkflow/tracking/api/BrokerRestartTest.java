package io.quarkflow.tracking.api;

import io.quarkflow.events.RunCreated;
import io.quarkflow.events.RunDeleted;
import io.quarkflow.events.RunStatusChanged;
import io.quarkflow.events.RunTerminated;
import io.quarkflow.testing.kafka.InjectKafkaBroker;
import io.quarkflow.testing.kafka.KafkaBroker;
import io.quarkflow.tracking.api.RunEventsConsumer.Received;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;

import static io.quarkflow.tracking.api.RunEventsConsumer.about;
import static io.quarkflow.tracking.api.TrackingApi.createExperiment;
import static io.quarkflow.tracking.api.TrackingApi.createRun;
import static io.quarkflow.tracking.api.TrackingApi.post;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The broker stops while runs are being updated and starts again: every state change still arrives, exactly one
 * event per change once redeliveries are dropped by CloudEvents id, and in each run's order.
 */
@QuarkusTest
class BrokerRestartTest {

    private static final Logger LOG = Logger.getLogger(BrokerRestartTest.class);
    private static final int RUNS = 20;
    /** Per run: created, three status changes, the termination that comes with FINISHED, deleted. */
    private static final List<String> EXPECTED = List.of(RunCreated.TYPE, "RUNNING>SCHEDULED", "SCHEDULED>RUNNING",
            "RUNNING>FINISHED", RunTerminated.TYPE, RunDeleted.TYPE);

    /** A request that changes a run, and how many events it causes. */
    private record Change(String path, Map<String, Object> body, int events) {
    }

    @InjectKafkaBroker
    KafkaBroker broker;

    @Inject
    Pool pool;

    @Test
    void everyStateChangeArrivesOnceAcrossABrokerRestart() {
        try (RunEventsConsumer consumer = new RunEventsConsumer()) {
            String experimentId = createExperiment();
            List<String> runIds = IntStream.range(0, RUNS).mapToObj(i -> createRun(experimentId)).toList();
            List<Change> changes = new ArrayList<>();
            for (String status : List.of("SCHEDULED", "RUNNING", "FINISHED")) {
                runIds.forEach(runId -> changes.add(new Change("runs/update", Map.of("run_id", runId, "status", status),
                        status.equals("FINISHED") ? 2 : 1)));
            }
            runIds.forEach(runId -> changes.add(new Change("runs/delete", Map.of("run_id", runId), 1)));
            int stopAt = changes.size() / 4;
            int startAt = changes.size() * 5 / 8;

            long outage = 0;
            long slowestWhileDown = 0;
            int eventsWhileDown = 0;
            CompletableFuture<Void> restarted = null;
            try {
                for (int i = 0; i < changes.size(); i++) {
                    if (i == stopAt) {
                        broker.stop();
                        outage = System.nanoTime();
                    }
                    if (i == startAt) {
                        long queued = pool.query("select count(*) from outbox").execute().await().atMost(Duration.ofSeconds(10))
                                .iterator().next().getLong(0);
                        assertTrue(queued >= eventsWhileDown, "events wait in the outbox: " + queued + " < " + eventsWhileDown);
                        restarted = CompletableFuture.runAsync(broker::start); // changes go on while it starts
                    }
                    long start = System.nanoTime();
                    post(changes.get(i).path(), changes.get(i).body()).statusCode(200);
                    if (i >= stopAt && i < startAt) {
                        slowestWhileDown = Math.max(slowestWhileDown, System.nanoTime() - start);
                        eventsWhileDown += changes.get(i).events();
                    }
                }
                restarted.join();
                outage = System.nanoTime() - outage;
            } finally {
                broker.start();
            }
            long drainStart = System.nanoTime();
            consumer.await(about(Set.copyOf(runIds)), RUNS * EXPECTED.size(), Duration.ofSeconds(60));
            long drained = System.nanoTime() - drainStart;
            List<Received> received = consumer.receiveFor(Duration.ofMillis(500), about(Set.copyOf(runIds)));

            Map<String, List<String>> changesByRun = new LinkedHashMap<>();
            Set<String> ids = new HashSet<>();
            for (Received record : received) {
                if (ids.add(record.event().id())) {
                    changesByRun.computeIfAbsent(record.event().subject(), id -> new ArrayList<>()).add(change(record));
                }
            }
            assertEquals(RUNS * EXPECTED.size(), ids.size(), "one CloudEvents id per state change");
            runIds.forEach(runId -> assertEquals(EXPECTED, changesByRun.get(runId), "events of run " + runId));
            assertTrue(slowestWhileDown < Duration.ofSeconds(5).toNanos(), "requests do not wait for Kafka");
            LOG.infof("Broker restart: %d state changes (%d while the broker was down for %d ms), %d records received, "
                    + "%d distinct events, %d redelivered; slowest request while down %d ms; all in %d ms after the changes",
                    RUNS * EXPECTED.size(), eventsWhileDown, outage / 1_000_000, received.size(), ids.size(),
                    received.size() - ids.size(), slowestWhileDown / 1_000_000, drained / 1_000_000);
        }
    }

    /** The event's type, or for a status change "OLD>NEW", so that each state change reads as one word. */
    private static String change(Received record) {
        if (record.type().equals(RunStatusChanged.TYPE)) {
            RunStatusChanged changed = record.data(RunStatusChanged.class);
            return changed.oldStatus() + ">" + changed.newStatus();
        }
        return record.type();
    }
}
