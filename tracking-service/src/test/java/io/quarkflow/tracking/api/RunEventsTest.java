package io.quarkflow.tracking.api;

import io.quarkflow.events.CloudEvent;
import io.quarkflow.events.RunCreated;
import io.quarkflow.events.RunDeleted;
import io.quarkflow.events.RunRestored;
import io.quarkflow.events.RunStatusChanged;
import io.quarkflow.events.RunTerminated;
import io.quarkflow.outbox.OutboxTable;
import io.quarkflow.tracking.api.RunEventsConsumer.Received;
import io.quarkflow.tracking.domain.LifecycleStage;
import io.quarkflow.tracking.domain.RunInfo;
import io.quarkflow.tracking.domain.RunStatus;
import io.quarkflow.tracking.events.RunEventOutbox;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Transaction;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static io.quarkflow.tracking.api.RunEventsConsumer.about;
import static io.quarkflow.tracking.api.TrackingApi.createExperiment;
import static io.quarkflow.tracking.api.TrackingApi.createRun;
import static io.quarkflow.tracking.api.TrackingApi.fails;
import static io.quarkflow.tracking.api.TrackingApi.invalid;
import static io.quarkflow.tracking.api.TrackingApi.post;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Run lifecycle events on a real broker: what arrives, in which order, and what never does. */
@QuarkusTest
class RunEventsTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    @Inject
    Pool pool;

    @Inject
    RunEventOutbox events;

    @Inject
    OutboxTable outbox;

    @Test
    void lifecycleEventsArriveInOrderWithTheirPayloads() {
        try (RunEventsConsumer consumer = new RunEventsConsumer()) {
            String experimentId = createExperiment();
            String runId = post("runs/create", Map.of("experiment_id", experimentId, "user_id", "ada",
                    "start_time", 1000, "run_name", "evented")).statusCode(200).extract().path("run.info.run_id");
            update(Map.of("run_id", runId, "run_name", "renamed")); // no status change, no event
            update(Map.of("run_id", runId, "status", "RUNNING"));
            update(Map.of("run_id", runId, "status", "SCHEDULED"));
            update(Map.of("run_id", runId, "status", "RUNNING"));
            update(Map.of("run_id", runId, "status", "FINISHED", "end_time", 5000));
            post("runs/delete", Map.of("run_id", runId)).statusCode(200);
            post("runs/restore", Map.of("run_id", runId)).statusCode(200);

            List<Received> received = consumer.await(about(Set.of(runId)), 7, TIMEOUT);

            assertEquals(List.of(RunCreated.TYPE, RunStatusChanged.TYPE, RunStatusChanged.TYPE, RunStatusChanged.TYPE,
                    RunTerminated.TYPE, RunDeleted.TYPE, RunRestored.TYPE), received.stream().map(Received::type).toList());
            RunCreated created = received.get(0).data(RunCreated.class);
            assertEquals(new RunCreated(runId, experimentId, "evented", "ada", "RUNNING", 1000,
                    "mlflow-artifacts:/" + experimentId + "/" + runId + "/artifacts"), created);
            assertEquals(new RunStatusChanged(runId, experimentId, "RUNNING", "SCHEDULED"),
                    received.get(1).data(RunStatusChanged.class));
            assertEquals(new RunStatusChanged(runId, experimentId, "SCHEDULED", "RUNNING"),
                    received.get(2).data(RunStatusChanged.class));
            assertEquals(new RunStatusChanged(runId, experimentId, "RUNNING", "FINISHED"),
                    received.get(3).data(RunStatusChanged.class));
            assertEquals(new RunTerminated(runId, experimentId, "FINISHED", 5000L), received.get(4).data(RunTerminated.class));
            RunDeleted deleted = received.get(5).data(RunDeleted.class);
            assertEquals(runId, deleted.runId());
            assertEquals(experimentId, deleted.experimentId());
            assertTrue(deleted.deletedTime() > 1000);
            assertEquals(new RunRestored(runId, experimentId), received.get(6).data(RunRestored.class));

            Set<String> ids = new HashSet<>();
            Instant previous = Instant.EPOCH;
            for (Received record : received) {
                CloudEvent<?> event = record.event();
                assertEquals(runId, record.key(), "the record key orders one run's events");
                assertEquals(CloudEvent.CONTENT_TYPE_HEADER_VALUE, record.contentType());
                assertEquals("1.0", event.specversion());
                assertEquals("/quarkflow/tracking-service", event.source());
                assertEquals(runId, event.subject());
                assertEquals("application/json", event.datacontenttype());
                assertTrue(ids.add(UUID.fromString(event.id()).toString()), "ids are unique");
                Instant time = Instant.parse(event.time());
                assertFalse(time.isBefore(previous), "times follow the changes");
                previous = time;
            }
        }
    }

    @Test
    void experimentDeleteAndRestoreMoveOnlyRunsThatChangeStage() {
        try (RunEventsConsumer consumer = new RunEventsConsumer()) {
            String experimentId = createExperiment();
            String active = createRun(experimentId);
            String deletedFirst = createRun(experimentId);
            post("runs/delete", Map.of("run_id", deletedFirst)).statusCode(200);
            post("experiments/delete", Map.of("experiment_id", experimentId)).statusCode(200);
            post("experiments/restore", Map.of("experiment_id", experimentId)).statusCode(200);

            List<Received> received = consumer.await(about(Set.of(active, deletedFirst)), 6, TIMEOUT);

            assertEquals(List.of(RunCreated.TYPE, RunDeleted.TYPE, RunRestored.TYPE), typesOf(received, active));
            assertEquals(List.of(RunCreated.TYPE, RunDeleted.TYPE, RunRestored.TYPE), typesOf(received, deletedFirst));
            received.forEach(r -> assertEquals(experimentId, r.event().data().path("experiment_id").asText()));
        }
    }

    @Test
    void rejectedAndRolledBackChangesEmitNothing() {
        try (RunEventsConsumer consumer = new RunEventsConsumer()) {
            String deletedExperiment = createExperiment();
            post("experiments/delete", Map.of("experiment_id", deletedExperiment)).statusCode(200);
            String deletedRun = createRun(createExperiment());
            post("runs/delete", Map.of("run_id", deletedRun)).statusCode(200);
            consumer.await(about(Set.of(deletedRun)), 2, TIMEOUT);

            invalid(post("runs/create", Map.of("experiment_id", deletedExperiment)));
            invalid(post("runs/update", Map.of("run_id", deletedRun, "status", "FAILED")));
            fails(post("runs/delete", Map.of("run_id", "0".repeat(32))), 404, "RESOURCE_DOES_NOT_EXIST");
            // A transaction that wrote its event and then failed: the outbox row goes with it.
            String rolledBack = UUID.randomUUID().toString().replace("-", "");
            RunInfo never = new RunInfo(rolledBack, rolledBack, "never", "0", null, RunStatus.RUNNING, 1L, null,
                    "mlflow-artifacts:/0/" + rolledBack + "/artifacts", LifecycleStage.active);
            assertThrows(IllegalStateException.class, () -> pool.withTransaction(conn -> events.created(conn, never)
                    .chain(() -> Uni.createFrom().failure(new IllegalStateException("rolled back")))).await().atMost(TIMEOUT));

            // Events are published in commit order on one partition, so once a later change's event is here,
            // an event of any of the failures above would be here too.
            String marker = createRun(createExperiment());
            consumer.await(about(Set.of(marker)), 1, TIMEOUT);
            assertEquals(List.of(), consumer.received(r -> r.event().subject().equals(rolledBack)
                    || deletedExperiment.equals(r.event().data().path("experiment_id").asText()))
                    .stream().map(Received::type).toList());
            assertEquals(List.of(RunCreated.TYPE, RunDeleted.TYPE), typesOf(consumer.received(about(Set.of(deletedRun))), deletedRun));
        }
    }

    @Test
    void onlyOneRelayPublishesAtATime() {
        try (RunEventsConsumer consumer = new RunEventsConsumer()) {
            // Another replica's relay in the middle of a pass holds the outbox lock for its transaction.
            SqlConnection otherReplica = pool.getConnection().await().atMost(TIMEOUT);
            Transaction pass = otherReplica.begin().await().atMost(TIMEOUT);
            try {
                assertTrue(outbox.lockRelay(otherReplica).await().atMost(TIMEOUT));
                String runId = createRun(createExperiment());
                assertEquals(List.of(), consumer.receiveFor(Duration.ofMillis(1500), about(Set.of(runId))),
                        "published while another relay held the outbox");

                pass.rollback().await().atMost(TIMEOUT);
                assertEquals(List.of(RunCreated.TYPE), typesOf(consumer.await(about(Set.of(runId)), 1, TIMEOUT), runId));
            } finally {
                otherReplica.close().await().atMost(TIMEOUT);
            }
        }
    }

    private static void update(Map<String, Object> body) {
        post("runs/update", body).statusCode(200);
    }

    private static List<String> typesOf(List<Received> received, String runId) {
        return received.stream().filter(r -> r.event().subject().equals(runId)).map(Received::type).toList();
    }
}
