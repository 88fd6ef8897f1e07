package io.quarkflow.tracking.api;

import io.quarkflow.events.CloudEvent;
import io.quarkflow.events.ModelVersionCreated;
import io.quarkflow.events.ModelVersionDeleted;
import io.quarkflow.events.ModelVersionStageTransitioned;
import io.quarkflow.events.RegisteredModelAliasDeleted;
import io.quarkflow.events.RegisteredModelAliasSet;
import io.quarkflow.events.RegisteredModelCreated;
import io.quarkflow.events.RegisteredModelDeleted;
import io.quarkflow.events.RegisteredModelRenamed;
import io.quarkflow.events.Topics;
import io.quarkflow.tracking.api.RunEventsConsumer.Received;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.quarkflow.tracking.api.RegisteredModelResourceTest.createModel;
import static io.quarkflow.tracking.api.RunEventsConsumer.about;
import static io.quarkflow.tracking.api.TrackingApi.createExperiment;
import static io.quarkflow.tracking.api.TrackingApi.createRun;
import static io.quarkflow.tracking.api.TrackingApi.delete;
import static io.quarkflow.tracking.api.TrackingApi.fails;
import static io.quarkflow.tracking.api.TrackingApi.getModel;
import static io.quarkflow.tracking.api.TrackingApi.getRun;
import static io.quarkflow.tracking.api.TrackingApi.invalid;
import static io.quarkflow.tracking.api.TrackingApi.json;
import static io.quarkflow.tracking.api.TrackingApi.post;
import static io.quarkflow.tracking.api.TrackingApi.unique;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Model registry events on quarkflow.registry-events, through the same outbox as the runs' events. */
@QuarkusTest
class RegistryEventsTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    @Test
    void aModelsChangesArriveOnceEachInOrderKeyedByItsName() {
        try (RunEventsConsumer consumer = new RunEventsConsumer(Topics.REGISTRY_EVENTS)) {
            String name = unique("model");
            String runId = createRun(createExperiment());
            String runArtifacts = getRun(runId).getString("run.info.artifact_uri");
            long createdAt = json(post("registered-models/create", Map.of("name", name, "description", "d")))
                    .getLong("registered_model.creation_timestamp");
            JsonPath first = json(post("model-versions/create", Map.of("name", name,
                    "source", "runs:/" + runId + "/model", "run_id", runId)));
            post("model-versions/create", Map.of("name", name, "source", "runs:/" + runId + "/other")).statusCode(200);
            alias(name, "champion", "1");
            alias(name, "champion", "2");
            alias(name, "champion", "2"); // no change, no event
            long stagedAt = transition(name, "1", "Staging", false);
            transition(name, "1", "Staging", false); // no change, no event
            long promotedAt = transition(name, "2", "Staging", true);
            delete("registered-models/alias", Map.of("name", name, "alias", "champion")).statusCode(200);
            delete("registered-models/alias", Map.of("name", name, "alias", "champion")).statusCode(200); // none
            alias(name, "b", "2");
            alias(name, "a", "2");
            delete("model-versions/delete", Map.of("name", name, "version", "2")).statusCode(200);

            List<Received> received = consumer.await(about(Set.of(name)), 12, TIMEOUT);

            assertEquals(List.of(RegisteredModelCreated.TYPE, ModelVersionCreated.TYPE, ModelVersionCreated.TYPE,
                    RegisteredModelAliasSet.TYPE, RegisteredModelAliasSet.TYPE, ModelVersionStageTransitioned.TYPE,
                    ModelVersionStageTransitioned.TYPE, ModelVersionStageTransitioned.TYPE,
                    RegisteredModelAliasDeleted.TYPE, RegisteredModelAliasSet.TYPE, RegisteredModelAliasSet.TYPE,
                    ModelVersionDeleted.TYPE), received.stream().map(Received::type).toList());
            assertEquals(new RegisteredModelCreated(name, "d", createdAt), received.get(0).data(RegisteredModelCreated.class));
            assertEquals(new ModelVersionCreated(name, "1", "runs:/" + runId + "/model", runArtifacts + "/model", runId,
                    "", first.getLong("model_version.creation_timestamp")),
                    received.get(1).data(ModelVersionCreated.class));
            ModelVersionCreated second = received.get(2).data(ModelVersionCreated.class);
            assertEquals("2", second.version());
            assertEquals("", second.runId());
            assertEquals(runArtifacts + "/other", second.storageLocation());
            assertEquals(new RegisteredModelAliasSet(name, "champion", "1", ""),
                    received.get(3).data(RegisteredModelAliasSet.class));
            assertEquals(new RegisteredModelAliasSet(name, "champion", "2", "1"),
                    received.get(4).data(RegisteredModelAliasSet.class));
            assertEquals(new ModelVersionStageTransitioned(name, "1", "None", "Staging", stagedAt),
                    received.get(5).data(ModelVersionStageTransitioned.class));
            // archive_existing_versions: the version's own move, then the one it pushed out of the stage.
            assertEquals(new ModelVersionStageTransitioned(name, "2", "None", "Staging", promotedAt),
                    received.get(6).data(ModelVersionStageTransitioned.class));
            assertEquals(new ModelVersionStageTransitioned(name, "1", "Staging", "Archived", promotedAt),
                    received.get(7).data(ModelVersionStageTransitioned.class));
            assertEquals(new RegisteredModelAliasDeleted(name, "champion", "2"),
                    received.get(8).data(RegisteredModelAliasDeleted.class));
            ModelVersionDeleted deleted = received.get(11).data(ModelVersionDeleted.class);
            assertEquals("2", deleted.version());
            assertEquals(List.of("a", "b"), deleted.aliases(), "the aliases that went with it");
            for (Received record : received) {
                CloudEvent<?> event = record.event();
                assertEquals(name, record.key());
                assertEquals(name, event.subject());
                assertEquals("/quarkflow/tracking-service", event.source());
                assertEquals(CloudEvent.CONTENT_TYPE_HEADER_VALUE, record.contentType());
            }
            assertEquals(Instant.ofEpochMilli(createdAt).toString(), received.get(0).event().time());

            // Published in commit order on one partition: a later change's event means none is missing.
            String marker = createModel(unique("marker"));
            consumer.await(about(Set.of(marker)), 1, TIMEOUT);
            assertEquals(12, consumer.received(about(Set.of(name))).stream().map(r -> r.event().id()).distinct().count());
        }
    }

    @Test
    void renameIsKeyedByTheNewNameAndDeleteEndsTheModel() {
        try (RunEventsConsumer consumer = new RunEventsConsumer(Topics.REGISTRY_EVENTS)) {
            String name = createModel(unique("model"));
            String newName = unique("renamed");
            long renamedAt = json(post("registered-models/rename", Map.of("name", name, "new_name", newName)))
                    .getLong("registered_model.last_updated_timestamp");
            delete("registered-models/delete", Map.of("name", newName)).statusCode(200);
            createModel(name); // the old name is free again: a new model

            List<Received> received = consumer.await(about(Set.of(name, newName)), 4, TIMEOUT);
            assertEquals(List.of(RegisteredModelCreated.TYPE, RegisteredModelRenamed.TYPE, RegisteredModelDeleted.TYPE,
                    RegisteredModelCreated.TYPE), received.stream().map(Received::type).toList());
            assertEquals(List.of(name, newName, newName, name), received.stream().map(Received::key).toList());
            assertEquals(new RegisteredModelRenamed(name, newName, renamedAt),
                    received.get(1).data(RegisteredModelRenamed.class));
            RegisteredModelDeleted deleted = received.get(2).data(RegisteredModelDeleted.class);
            assertEquals(newName, deleted.name());
            assertEquals(Instant.ofEpochMilli(deleted.deletedTime()).toString(), received.get(2).event().time());
        }
    }

    @Test
    void aVersionOfALoggedModelNamesIt() {
        try (RunEventsConsumer consumer = new RunEventsConsumer(Topics.REGISTRY_EVENTS)) {
            String experimentId = createExperiment();
            String runId = createRun(experimentId);
            String modelId = TrackingApi.createModel(experimentId, "name", "model", "source_run_id", runId);
            String artifacts = getModel(modelId).getString("model.info.artifact_uri");
            String name = createModel(unique("model"));
            post("model-versions/create", Map.of("name", name, "source", "models:/" + modelId, "model_id", modelId))
                    .statusCode(200);

            List<Received> received = consumer.await(about(Set.of(name)), 2, TIMEOUT);
            ModelVersionCreated created = received.get(1).data(ModelVersionCreated.class);
            assertEquals("models:/" + modelId, created.source());
            assertEquals(artifacts, created.storageLocation());
            assertEquals(runId, created.runId(), "the logged model's run");
            assertEquals(modelId, created.modelId());
        }
    }

    @Test
    void refusedChangesPublishNothing() {
        try (RunEventsConsumer consumer = new RunEventsConsumer(Topics.REGISTRY_EVENTS)) {
            String name = createModel(unique("model"));
            String other = createModel(unique("other"));
            String runId = createRun(createExperiment());
            post("model-versions/create", Map.of("name", name, "source", "runs:/" + runId + "/model")).statusCode(200);
            consumer.await(about(Set.of(name, other)), 3, TIMEOUT);

            fails(post("registered-models/create", Map.of("name", name)), 400, "RESOURCE_ALREADY_EXISTS");
            fails(post("registered-models/rename", Map.of("name", other, "new_name", name)), 400,
                    "RESOURCE_ALREADY_EXISTS");
            invalid(post("model-versions/create", Map.of("name", name, "source", "file:///etc")));
            String unknown = unique("unknown");
            fails(post("model-versions/create", Map.of("name", unknown, "source", "runs:/" + runId + "/m")), 404,
                    "RESOURCE_DOES_NOT_EXIST");
            invalid(post("model-versions/transition-stage", Map.of("name", name, "version", "1", "stage", "Bogus")));
            invalid(post("model-versions/transition-stage", Map.of("name", name, "version", "1", "stage", "None",
                    "archive_existing_versions", true)));
            fails(post("model-versions/transition-stage", Map.of("name", name, "version", "9", "stage", "Staging")),
                    404, "RESOURCE_DOES_NOT_EXIST");
            fails(post("registered-models/alias", Map.of("name", name, "alias", "champion", "version", "9")), 404,
                    "RESOURCE_DOES_NOT_EXIST");
            invalid(post("registered-models/alias", Map.of("name", name, "alias", "latest", "version", "1")));
            fails(delete("model-versions/delete", Map.of("name", name, "version", "9")), 404, "RESOURCE_DOES_NOT_EXIST");
            fails(delete("registered-models/delete", Map.of("name", unknown)), 404, "RESOURCE_DOES_NOT_EXIST");

            String marker = createModel(unique("marker"));
            consumer.await(about(Set.of(marker)), 1, TIMEOUT);
            assertEquals(List.of(RegisteredModelCreated.TYPE, RegisteredModelCreated.TYPE, ModelVersionCreated.TYPE),
                    consumer.received(about(Set.of(name, other, unknown))).stream().map(Received::type).toList());
        }
    }

    private static void alias(String name, String alias, String version) {
        post("registered-models/alias", Map.of("name", name, "alias", alias, "version", version)).statusCode(200);
    }

    /** The version's last_updated_timestamp after the transition. */
    private static long transition(String name, String version, String stage, boolean archiveExisting) {
        return json(post("model-versions/transition-stage", Map.of("name", name, "version", version, "stage", stage,
                "archive_existing_versions", archiveExisting))).getLong("model_version.last_updated_timestamp");
    }
}
