package io.quarkflow.tracking.api;

import io.quarkflow.events.CloudEvent;
import io.quarkflow.events.LoggedModelCreated;
import io.quarkflow.events.LoggedModelDeleted;
import io.quarkflow.events.LoggedModelFinalized;
import io.quarkflow.events.RunCreated;
import io.quarkflow.tracking.api.RunEventsConsumer.Received;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.quarkflow.tracking.api.RunEventsConsumer.about;
import static io.quarkflow.tracking.api.TrackingApi.createExperiment;
import static io.quarkflow.tracking.api.TrackingApi.createModel;
import static io.quarkflow.tracking.api.TrackingApi.createRun;
import static io.quarkflow.tracking.api.TrackingApi.delete;
import static io.quarkflow.tracking.api.TrackingApi.fails;
import static io.quarkflow.tracking.api.TrackingApi.invalid;
import static io.quarkflow.tracking.api.TrackingApi.json;
import static io.quarkflow.tracking.api.TrackingApi.patch;
import static io.quarkflow.tracking.api.TrackingApi.post;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Logged-model lifecycle events on quarkflow.run-events, through the same outbox as the runs' events. */
@QuarkusTest
class LoggedModelEventsTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    @Test
    void createdFinalizedDeletedKeyedByTheSourceRun() {
        try (RunEventsConsumer consumer = new RunEventsConsumer()) {
            String experimentId = createExperiment();
            String runId = createRun(experimentId);
            JsonPath created = json(post("logged-models", Map.of("experiment_id", experimentId, "name", "model",
                    "model_type", "agent", "source_run_id", runId)));
            String modelId = created.getString("model.info.model_id");
            long createdAt = created.getLong("model.info.creation_timestamp_ms");
            long readyAt = json(finalizeModel(modelId, "LOGGED_MODEL_READY")).getLong("model.info.last_updated_timestamp_ms");
            finalizeModel(modelId, "LOGGED_MODEL_READY").statusCode(200); // no change, no event
            delete("logged-models/" + modelId, Map.of("model_id", modelId)).statusCode(200);
            delete("logged-models/" + modelId, Map.of("model_id", modelId)).statusCode(200); // deleted already

            List<Received> received = consumer.await(about(Set.of(runId, modelId)), 4, TIMEOUT);

            assertEquals(List.of(RunCreated.TYPE, LoggedModelCreated.TYPE, LoggedModelFinalized.TYPE,
                    LoggedModelDeleted.TYPE), received.stream().map(Received::type).toList());
            assertEquals(new LoggedModelCreated(modelId, experimentId, "model", "agent", runId, "LOGGED_MODEL_PENDING",
                    "mlflow-artifacts:/" + experimentId + "/models/" + modelId + "/artifacts", createdAt),
                    received.get(1).data(LoggedModelCreated.class));
            assertEquals(new LoggedModelFinalized(modelId, experimentId, runId, "LOGGED_MODEL_PENDING",
                    "LOGGED_MODEL_READY", readyAt), received.get(2).data(LoggedModelFinalized.class));
            LoggedModelDeleted deleted = received.get(3).data(LoggedModelDeleted.class);
            assertEquals(modelId, deleted.modelId());
            assertEquals(runId, deleted.sourceRunId());
            for (Received record : received.subList(1, 4)) {
                CloudEvent<?> event = record.event();
                assertEquals(runId, record.key(), "one partition for a run and its models");
                assertEquals(modelId, event.subject());
                assertEquals("/quarkflow/tracking-service", event.source());
                assertEquals(CloudEvent.CONTENT_TYPE_HEADER_VALUE, record.contentType());
            }
            assertEquals(Instant.ofEpochMilli(createdAt).toString(), received.get(1).event().time());

            // Events are published in commit order on one partition: a later change's event means none is missing.
            String marker = createRun(createExperiment());
            consumer.await(about(Set.of(marker)), 1, TIMEOUT);
            assertEquals(3, consumer.received(about(Set.of(modelId))).stream().map(r -> r.event().id()).distinct().count());
        }
    }

    @Test
    void aModelWithoutARunIsKeyedByItsId() {
        try (RunEventsConsumer consumer = new RunEventsConsumer()) {
            String modelId = createModel(createExperiment());
            finalizeModel(modelId, "LOGGED_MODEL_UPLOAD_FAILED").statusCode(200);

            List<Received> received = consumer.await(about(Set.of(modelId)), 2, TIMEOUT);
            assertEquals(List.of(LoggedModelCreated.TYPE, LoggedModelFinalized.TYPE),
                    received.stream().map(Received::type).toList());
            received.forEach(record -> assertEquals(modelId, record.key()));
            assertEquals("", received.get(0).data(LoggedModelCreated.class).sourceRunId());
            assertEquals("LOGGED_MODEL_UPLOAD_FAILED", received.get(1).data(LoggedModelFinalized.class).status());
        }
    }

    @Test
    void otherStatusesAndRefusedRequestsPublishNothing() {
        try (RunEventsConsumer consumer = new RunEventsConsumer()) {
            String experimentId = createExperiment();
            String modelId = createModel(experimentId);
            consumer.await(about(Set.of(modelId)), 1, TIMEOUT);
            finalizeModel(modelId, "LOGGED_MODEL_PENDING").statusCode(200);
            finalizeModel(modelId, "LOGGED_MODEL_STATUS_UNSPECIFIED").statusCode(200);
            invalid(finalizeModel(modelId, "BOGUS"));
            String unknown = "m-" + "0".repeat(32);
            fails(finalizeModel(unknown, "LOGGED_MODEL_READY"), 404, "RESOURCE_DOES_NOT_EXIST");
            post("experiments/delete", Map.of("experiment_id", experimentId)).statusCode(200);
            invalid(post("logged-models", Map.of("experiment_id", experimentId)));

            String marker = createRun(createExperiment());
            consumer.await(about(Set.of(marker)), 1, TIMEOUT);
            assertEquals(List.of(LoggedModelCreated.TYPE), consumer.received(about(Set.of(modelId, unknown))).stream()
                    .map(Received::type).toList());
            Set<String> modelTypes = Set.of(LoggedModelCreated.TYPE, LoggedModelFinalized.TYPE, LoggedModelDeleted.TYPE);
            assertEquals(List.of(), consumer.received(r -> modelTypes.contains(r.type())
                    && experimentId.equals(r.event().data().path("experiment_id").asText())
                    && !r.event().subject().equals(modelId)));
        }
    }

    private static io.restassured.response.ValidatableResponse finalizeModel(String modelId, String status) {
        return patch("logged-models/" + modelId, Map.of("model_id", modelId, "status", status));
    }
}
