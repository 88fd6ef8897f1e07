package io.quarkflow.tracking.api;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import static io.quarkflow.tracking.api.RegisteredModelResourceTest.createModel;
import static io.quarkflow.tracking.api.RegisteredModelResourceTest.createVersion;
import static io.quarkflow.tracking.api.TrackingApi.createExperiment;
import static io.quarkflow.tracking.api.TrackingApi.createRun;
import static io.quarkflow.tracking.api.TrackingApi.delete;
import static io.quarkflow.tracking.api.TrackingApi.fails;
import static io.quarkflow.tracking.api.TrackingApi.get;
import static io.quarkflow.tracking.api.TrackingApi.getModel;
import static io.quarkflow.tracking.api.TrackingApi.getRun;
import static io.quarkflow.tracking.api.TrackingApi.invalid;
import static io.quarkflow.tracking.api.TrackingApi.json;
import static io.quarkflow.tracking.api.TrackingApi.patch;
import static io.quarkflow.tracking.api.TrackingApi.post;
import static io.quarkflow.tracking.api.TrackingApi.tag;
import static io.quarkflow.tracking.api.TrackingApi.unique;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The model-version endpoints. Where a test says "MLflow's server", the answer was taken from MLflow 3.3's own
 * (mlflow server, SQL store), sent the same request.
 */
@QuarkusTest
class ModelVersionResourceTest {

    @Inject
    Pool pool;

    private static final String MISSING = "Missing value for required parameter '%s'. "
            + "See the API docs for more information about request parameters.";
    private static final String RELATIVE = "Invalid model version source: '%s'. If supplying a source as an http, "
            + "https, local file path, ftp, objectstore, or mlflow-artifacts uri, an absolute path must be provided "
            + "without relative path references present. Please provide an absolute path.";

    @Test
    void createAnswersTheVersionWithMlflowsDefaults() {
        String name = createModel(unique("model"));
        long before = System.currentTimeMillis();
        JsonPath first = json(post("model-versions/create", Map.of("name", name, "source", "s3://bucket/some/p",
                "run_id", "abc", "description", "vd", "run_link", "http://x", "tags", List.of(tag("a", "b")))));
        assertEquals(name, first.getString("model_version.name"));
        assertEquals("1", first.getString("model_version.version"));
        assertEquals("None", first.getString("model_version.current_stage"));
        assertEquals("READY", first.getString("model_version.status"));
        assertEquals("vd", first.getString("model_version.description"));
        assertEquals("s3://bucket/some/p", first.getString("model_version.source"));
        assertEquals("abc", first.getString("model_version.run_id"));
        assertEquals("http://x", first.getString("model_version.run_link"));
        assertEquals(List.of(tag("a", "b")), first.getList("model_version.tags"));
        long createdAt = first.getLong("model_version.creation_timestamp");
        assertTrue(createdAt >= before);
        assertEquals(createdAt, first.getLong("model_version.last_updated_timestamp"));

        // MLflow's server answers "" for what the request left out, and no aliases or user id.
        JsonPath second = json(post("model-versions/create", Map.of("name", name, "source", "s3://bucket/some/q")));
        assertEquals("2", second.getString("model_version.version"));
        assertEquals("", second.getString("model_version.description"));
        assertEquals("", second.getString("model_version.run_id"));
        assertEquals("", second.getString("model_version.run_link"));
        assertNull(second.get("model_version.tags"));
        assertNull(second.get("model_version.aliases"));
        assertNull(second.get("model_version.user_id"));

        JsonPath got = json(get("model-versions/get", "name", name, "version", "1"));
        assertEquals(first.getMap("model_version"), got.getMap("model_version"));
        // Creating a version changes the model.
        assertEquals(second.getLong("model_version.creation_timestamp"),
                json(get("registered-models/get", "name", name)).getLong("registered_model.last_updated_timestamp"));
    }

    @Test
    void createRefusesWhatMlflowRefuses() {
        String name = createModel(unique("model"));
        invalid(post("model-versions/create", Map.of("name", name))).body("message", equalTo(MISSING.formatted("source")));
        invalid(post("model-versions/create", Map.of("source", "s3://bucket/some/p"))).body("message", equalTo(MISSING.formatted("name")));
        fails(post("model-versions/create", Map.of("name", unique("nope"), "source", "s3://bucket/some/p")), 404,
                "RESOURCE_DOES_NOT_EXIST");
        for (String source : List.of("s3://b/p/../q", "mlflow-artifacts:/1/..%2f..%2fsecrets", "http://h/a/%252e%252e/b",
                "s3://b/p%00", "s3://b")) {
            invalid(post("model-versions/create", Map.of("name", name, "source", source)))
                    .body("message", equalTo(RELATIVE.formatted(source)));
        }
        for (String source : List.of("/tmp/x", "file:///etc/passwd", "relative/path")) {
            invalid(post("model-versions/create", Map.of("name", name, "source", source)))
                    .body("message", equalTo("Invalid model version source: '" + source + "'. To use a local path as "
                            + "a model version source, the run_id request parameter has to be specified and the local "
                            + "path has to be contained within the artifact directory of the run specified by the "
                            + "run_id."));
        }
        // Nothing refused took a version number.
        assertEquals("1", createVersion(name, "s3://bucket/some/ok"));
    }

    @Test
    void sourcesOutsideTheArtifactLocationsCreateNothing() {
        String name = createModel(unique("model"));
        // The tests allow mlflow-artifacts:/ and s3://bucket/some (application.properties, %test).
        for (String source : List.of("s3://other-bucket/x", "http://169.254.169.254/latest/meta-data",
                "https://evil.example/m", "s3://bucket/x", "s3://bucket/somewhere/x", "mlflow-artifacts://evil.example/1",
                "mlflow-artifacts:/models/a//b")) {
            invalid(post("model-versions/create", Map.of("name", name, "source", source, "run_id", "abc")))
                    .body("message", startsWith("Invalid model version source: '" + source + "'. It is not allowed: "));
        }
        invalid(post("model-versions/create", Map.of("name", name, "source", "s3://other-bucket/x")))
                .body("message", equalTo("Invalid model version source: 's3://other-bucket/x'. It is not allowed: this "
                        + "server accepts only artifact locations under mlflow-artifacts:/, s3://bucket/some "
                        + "(quarkflow.tracking.artifact-locations)."));
        // A run whose files are elsewhere (its experiment predates a narrower list): its runs:/ source resolves there.
        String runId = createRun();
        String elsewhere = "s3://old-bucket/0/" + runId + "/artifacts";
        pool.preparedQuery("update runs set artifact_uri = $1 where run_uuid = $2").execute(Tuple.of(elsewhere, runId))
                .await().indefinitely();
        invalid(post("model-versions/create", Map.of("name", name, "source", "runs:/" + runId + "/model",
                "run_id", runId)))
                .body("message", startsWith("Invalid model version source: 'runs:/" + runId + "/model'. Its files are "
                        + "at '" + elsewhere + "/model', which is not allowed: "));
        // Refused before anything was written, as MLflow's server checks a source before its store: no version, and
        // no number taken.
        List<Object> found = json(get("model-versions/search", "filter", "name = '" + name + "'"))
                .getList("model_versions");
        assertTrue(found == null || found.isEmpty(), () -> "versions: " + found);
        assertEquals("1", createVersion(name, "mlflow-artifacts:/models/a"));
        assertEquals("2", createVersion(name, "mlflow-artifacts:/models///"));
    }

    @Test
    void aPromptVersionKeepsItsTextSource() {
        String name = createModel(unique("prompt"));
        // What MLflow 3's register_prompt sends (abstract_store.create_prompt_version).
        JsonPath created = json(post("model-versions/create", Map.of("name", name, "source", "prompt-template",
                "tags", List.of(tag("mlflow.prompt.is_prompt", "true"), tag("mlflow.prompt.text", "Hi {{name}}")))));
        assertEquals("prompt-template", created.getString("model_version.source"));
        assertEquals("prompt-template", json(get("model-versions/get-download-uri", "name", name, "version", "1"))
                .getString("artifact_uri"));
        // A prompt's source that is a URI is checked as any other.
        invalid(post("model-versions/create", Map.of("name", name, "source", "s3://other-bucket/x",
                "tags", List.of(tag("mlflow.prompt.is_prompt", "true")))));
    }

    @Test
    void concurrentCreatesGetDistinctNumbers() throws Exception {
        String name = createModel(unique("model"));
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<CompletableFuture<String>> creates = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                String source = "s3://bucket/some/" + i;
                creates.add(CompletableFuture.supplyAsync(() -> createVersion(name, source), pool));
            }
            Set<Integer> numbers = new TreeSet<>();
            for (CompletableFuture<String> create : creates) {
                numbers.add(Integer.parseInt(create.get()));
            }
            assertEquals(16, numbers.size());
            assertEquals(1, numbers.iterator().next());
            assertEquals(16, ((TreeSet<Integer>) numbers).last());
        } finally {
            pool.shutdown();
        }
    }

    @Test
    void numbersOfDeletedVersionsAreNotGivenAgain() {
        String name = createModel(unique("model"));
        createVersion(name, "s3://bucket/some/1");
        createVersion(name, "s3://bucket/some/2");
        delete("model-versions/delete", Map.of("name", name, "version", "2")).statusCode(200).body(equalTo("{}"));
        fails(get("model-versions/get", "name", name, "version", "2"), 404, "RESOURCE_DOES_NOT_EXIST")
                .body("message", equalTo("Model Version (name=" + name + ", version=2) not found"));
        fails(delete("model-versions/delete", Map.of("name", name, "version", "2")), 404, "RESOURCE_DOES_NOT_EXIST");
        assertEquals("3", createVersion(name, "s3://bucket/some/3"));
    }

    @Test
    void aLoggedModelSourceResolvesToItsArtifactsAndListsTheVersion() {
        String experimentId = createExperiment();
        String runId = createRun(experimentId);
        String modelId = TrackingApi.createModel(experimentId, "name", "model", "source_run_id", runId);
        String artifacts = getModel(modelId).getString("model.info.artifact_uri");
        String name = createModel(unique("model"));

        // What MLflow 3's log_model(..., registered_model_name=...) sends: no run_id.
        JsonPath created = json(post("model-versions/create", Map.of("name", name, "source", "models:/" + modelId,
                "model_id", modelId)));
        assertEquals("models:/" + modelId, created.getString("model_version.source"));
        assertEquals(runId, created.getString("model_version.run_id"));
        assertEquals(artifacts, json(get("model-versions/get-download-uri", "name", name, "version", "1"))
                .getString("artifact_uri"));
        // MLflow's server lists the version on the logged model, the number as a JSON number.
        assertEquals("[{\"name\": \"" + name + "\", \"version\": 1}]", modelVersionsTag(modelId));
        post("model-versions/create", Map.of("name", name, "source", "models:/" + modelId, "model_id", modelId))
                .statusCode(200);
        assertEquals("[{\"name\": \"" + name + "\", \"version\": 1}, {\"name\": \"" + name + "\", \"version\": 2}]",
                modelVersionsTag(modelId));

        // A version of a version: its files.
        post("model-versions/create", Map.of("name", name, "source", "models:/" + name + "/1")).statusCode(200);
        assertEquals(artifacts, json(get("model-versions/get-download-uri", "name", name, "version", "3"))
                .getString("artifact_uri"));

        invalid(post("model-versions/create", Map.of("name", name, "source", "models:/m-nope")))
                .body("message", equalTo("Unable to fetch model from model URI source artifact location "
                        + "'models:/m-nope'.Error: Logged model with ID 'm-nope' not found."));
        invalid(post("model-versions/create", Map.of("name", name, "source", "models:/" + name + "/9")))
                .body("message", equalTo("Unable to fetch model from model URI source artifact location 'models:/"
                        + name + "/9'.Error: Model Version (name=" + name + ", version=9) not found"));
        fails(post("model-versions/create", Map.of("name", name, "source", "s3://bucket/some/p", "model_id", "m-nope")), 404,
                "RESOURCE_DOES_NOT_EXIST");
    }

    @Test
    void aRunsSourceResolvesToTheRunsArtifacts() {
        String runId = createRun();
        String runArtifacts = getRun(runId).getString("run.info.artifact_uri");
        String name = createModel(unique("model"));
        JsonPath created = json(post("model-versions/create", Map.of("name", name, "source", "runs:/" + runId + "/model",
                "run_id", runId)));
        assertEquals("runs:/" + runId + "/model", created.getString("model_version.source"));
        assertEquals(runArtifacts + "/model", json(get("model-versions/get-download-uri", "name", name, "version", "1"))
                .getString("artifact_uri"));
        // Still readable once the run is deleted: the location was resolved when the version was created.
        post("runs/delete", Map.of("run_id", runId)).statusCode(200);
        assertEquals(runArtifacts + "/model", json(get("model-versions/get-download-uri", "name", name, "version", "1"))
                .getString("artifact_uri"));
        // A run the server does not know: kept as given, as MLflow's server keeps it.
        post("model-versions/create", Map.of("name", name, "source", "runs:/nope/model")).statusCode(200);
        assertEquals("runs:/nope/model", json(get("model-versions/get-download-uri", "name", name, "version", "2"))
                .getString("artifact_uri"));
    }

    @Test
    void updateSetsOrClearsTheDescription() {
        String name = createModel(unique("model"));
        createVersion(name, "s3://bucket/some/1");
        JsonPath updated = json(patch("model-versions/update", Map.of("name", name, "version", "1", "description", "u")));
        assertEquals("u", updated.getString("model_version.description"));
        JsonPath cleared = json(patch("model-versions/update", Map.of("name", name, "version", "1")));
        assertNull(cleared.get("model_version.description"));
        fails(patch("model-versions/update", Map.of("name", name, "version", "7")), 404, "RESOURCE_DOES_NOT_EXIST");
        invalid(get("model-versions/get", "name", name, "version", "x"))
                .body("message", equalTo("Parameter 'version' must be an integer, got 'x'."));
    }

    @Test
    void transitionMovesStagesAndArchivesTheOthers() {
        String name = createModel(unique("model"));
        createVersion(name, "s3://bucket/some/1");
        createVersion(name, "s3://bucket/some/2");
        JsonPath first = json(post("model-versions/transition-stage", Map.of("name", name, "version", "1",
                "stage", "production", "archive_existing_versions", false)));
        assertEquals("Production", first.getString("model_version.current_stage"));
        JsonPath second = json(post("model-versions/transition-stage", Map.of("name", name, "version", "2",
                "stage", "Production", "archive_existing_versions", true)));
        assertEquals("Production", second.getString("model_version.current_stage"));
        assertEquals("Archived", json(get("model-versions/get", "name", name, "version", "1"))
                .getString("model_version.current_stage"));

        invalid(post("model-versions/transition-stage", Map.of("name", name, "version", "2", "stage", "bogus",
                "archive_existing_versions", false)))
                .body("message", equalTo("Invalid Model Version stage: bogus. Value must be one of None, Staging, "
                        + "Production, Archived."));
        invalid(post("model-versions/transition-stage", Map.of("name", name, "version", "2", "stage", "None",
                "archive_existing_versions", true)))
                .body("message", equalTo("Model version transition cannot archive existing model versions because "
                        + "'None' is not an Active stage. Valid stages are ['Staging', 'Production']"));
        invalid(post("model-versions/transition-stage", Map.of("name", name, "version", "2")))
                .body("message", equalTo(MISSING.formatted("stage")));
        fails(post("model-versions/transition-stage", Map.of("name", name, "version", "9", "stage", "Staging")), 404,
                "RESOURCE_DOES_NOT_EXIST");
        // A refused transition archived nothing.
        assertEquals("Production", json(get("model-versions/get", "name", name, "version", "2"))
                .getString("model_version.current_stage"));
    }

    @Test
    void tagsAreSetAndDeleted() {
        String name = createModel(unique("model"));
        createVersion(name, "s3://bucket/some/1");
        post("model-versions/set-tag", Map.of("name", name, "version", "1", "key", "t", "value", "1")).statusCode(200)
                .body(equalTo("{}"));
        post("model-versions/set-tag", Map.of("name", name, "version", "1", "key", "t", "value", "2")).statusCode(200);
        assertEquals(List.of(tag("t", "2")), json(get("model-versions/get", "name", name, "version", "1"))
                .getList("model_version.tags"));
        delete("model-versions/delete-tag", Map.of("name", name, "version", "1", "key", "t")).statusCode(200);
        delete("model-versions/delete-tag", Map.of("name", name, "version", "1", "key", "nothere")).statusCode(200);
        assertNull(json(get("model-versions/get", "name", name, "version", "1")).get("model_version.tags"));
        fails(post("model-versions/set-tag", Map.of("name", name, "version", "5", "key", "t", "value", "1")), 404,
                "RESOURCE_DOES_NOT_EXIST");
        invalid(post("model-versions/set-tag", Map.of("name", name, "version", "1", "key", "a/../b", "value", "1")));
    }

    @Test
    void searchFindsVersionsByNameRunAndNumber() {
        String name = createModel(unique("model"));
        String runA = createRun();
        String runB = createRun();
        post("model-versions/create", Map.of("name", name, "source", "s3://bucket/some/1", "run_id", runA)).statusCode(200);
        post("model-versions/create", Map.of("name", name, "source", "s3://bucket/some/2", "run_id", runB)).statusCode(200);
        post("model-versions/create", Map.of("name", name, "source", "s3://bucket/some/3", "run_id", runB)).statusCode(200);

        JsonPath byName = json(get("model-versions/search", "filter", "name = '" + name + "'"));
        // By default the most recently changed first, then the highest number.
        assertEquals(List.of("3", "2", "1"), byName.getList("model_versions.version"));
        JsonPath ascending = json(get("model-versions/search", "filter", "name='" + name + "'",
                "order_by", "version_number ASC"));
        assertEquals(List.of("1", "2", "3"), ascending.getList("model_versions.version"));
        JsonPath byRuns = json(get("model-versions/search", "filter", "run_id IN ('" + runA + "', '" + runB + "')",
                "order_by", "version_number ASC"));
        assertEquals(List.of("1", "2", "3"), byRuns.getList("model_versions.version"));
        JsonPath byRun = json(get("model-versions/search", "filter", "run_id = '" + runA + "'"));
        assertEquals(List.of("1"), byRun.getList("model_versions.version"));
        JsonPath above = json(get("model-versions/search", "filter", "name = '" + name + "' AND version_number > 1",
                "order_by", "version_number ASC"));
        assertEquals(List.of("2", "3"), above.getList("model_versions.version"));

        List<String> paged = new ArrayList<>();
        String token = null;
        do {
            JsonPath page = token == null
                    ? json(get("model-versions/search", "filter", "name = '" + name + "'", "max_results", 1))
                    : json(get("model-versions/search", "filter", "name = '" + name + "'", "max_results", 1,
                            "page_token", token));
            paged.addAll(page.getList("model_versions.version"));
            token = page.getString("next_page_token");
        } while (token != null);
        assertEquals(List.of("3", "2", "1"), paged);

        invalid(get("model-versions/search", "filter", "foo = 'x'"))
                .body("message", equalTo("Invalid attribute key 'foo' specified. Valid keys are '{'run_id', "
                        + "'source_path', 'version_number', 'name'}'"));
        invalid(get("model-versions/search", "filter", "name IN ('a')"))
                .body("message", equalTo("Only the 'run_id' attribute supports comparison with a list of quoted "
                        + "string values."));
        invalid(get("model-versions/search", "filter", "version_number LIKE '1'"))
                .body("message", equalTo("Invalid comparator for attribute version_number: LIKE"));
        invalid(get("model-versions/search", "max_results", 0))
                .body("message", equalTo("Invalid value for max_results. It must be a positive integer, but got 0"));
        invalid(get("model-versions/search", "order_by", "foo"))
                .body("message", equalTo("Invalid attribute key 'foo' specified. Valid keys are "
                        + "'{'last_updated_timestamp', 'creation_timestamp', 'version_number', 'name'}'"));
    }

    private static String modelVersionsTag(String modelId) {
        List<Map<String, String>> tags = getModel(modelId).getList("model.info.tags");
        return tags.stream().filter(tag -> tag.get("key").equals("mlflow.modelVersions")).map(tag -> tag.get("value"))
                .findFirst().orElse(null);
    }
}
