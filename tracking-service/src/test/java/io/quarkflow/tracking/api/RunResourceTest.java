package io.quarkflow.tracking.api;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static io.quarkflow.tracking.api.TrackingApi.AJAX;
import static io.quarkflow.tracking.api.TrackingApi.createExperiment;
import static io.quarkflow.tracking.api.TrackingApi.createRun;
import static io.quarkflow.tracking.api.TrackingApi.fails;
import static io.quarkflow.tracking.api.TrackingApi.get;
import static io.quarkflow.tracking.api.TrackingApi.getRun;
import static io.quarkflow.tracking.api.TrackingApi.invalid;
import static io.quarkflow.tracking.api.TrackingApi.logBatch;
import static io.quarkflow.tracking.api.TrackingApi.metric;
import static io.quarkflow.tracking.api.TrackingApi.param;
import static io.quarkflow.tracking.api.TrackingApi.post;
import static io.quarkflow.tracking.api.TrackingApi.tag;
import static io.quarkflow.tracking.api.TrackingApi.unique;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.matchesPattern;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

@QuarkusTest
class RunResourceTest {

    private static final String RUN_NAME_TAG = "mlflow.runName";
    private static final String MODEL_HISTORY_TAG = "mlflow.log-model.history";

    @Test
    void createGeneratesIdNameAndArtifactUri() {
        String experimentId = createExperiment();
        JsonPath run = post("runs/create", Map.of("experiment_id", experimentId, "start_time", 1234)).statusCode(200)
                .extract().jsonPath();

        String runId = run.getString("run.info.run_id");
        assertTrue(runId.matches("[0-9a-f]{32}"), runId);
        assertEquals(runId, run.getString("run.info.run_uuid"));
        assertEquals(experimentId, run.getString("run.info.experiment_id"));
        assertEquals("RUNNING", run.getString("run.info.status"));
        assertEquals("active", run.getString("run.info.lifecycle_stage"));
        assertEquals(1234L, run.getLong("run.info.start_time"));
        assertEquals("mlflow-artifacts:/" + experimentId + "/" + runId + "/artifacts", run.getString("run.info.artifact_uri"));
        String name = run.getString("run.info.run_name");
        assertTrue(name != null && !name.isEmpty(), "a run name is generated");
        assertEquals(name, tagValue(run, RUN_NAME_TAG));
        assertEquals(run.getString("run.info"), getRun(runId).getString("run.info"));
    }

    @Test
    void runIdsAreUnique() {
        String experimentId = createExperiment();
        assertNotEquals(createRun(experimentId), createRun(experimentId));
    }

    @Test
    void givenRunNameBecomesTheTag() {
        String experimentId = createExperiment();
        String runId = post("runs/create", Map.of("experiment_id", experimentId, "run_name", "my-run",
                "tags", List.of(tag("team", "a")))).statusCode(200)
                .body("run.info.run_name", equalTo("my-run"))
                .extract().path("run.info.run_id");

        JsonPath run = getRun(runId);
        assertEquals("my-run", run.getString("run.info.run_name"));
        assertEquals("my-run", tagValue(run, RUN_NAME_TAG));
        assertEquals("a", tagValue(run, "team"));
    }

    @Test
    void runNameTagAloneNamesTheRun() {
        String experimentId = createExperiment();
        post("runs/create", Map.of("experiment_id", experimentId, "tags", List.of(tag(RUN_NAME_TAG, "from-tag"))))
                .statusCode(200).body("run.info.run_name", equalTo("from-tag"));
        post("runs/create", Map.of("experiment_id", experimentId, "run_name", "same",
                "tags", List.of(tag(RUN_NAME_TAG, "same")))).statusCode(200).body("run.info.run_name", equalTo("same"));
    }

    @Test
    void runNameDisagreeingWithTagIsRefused() {
        invalid(post("runs/create", Map.of("experiment_id", createExperiment(), "run_name", "a",
                "tags", List.of(tag(RUN_NAME_TAG, "b")))));
    }

    @Test
    void artifactUriFollowsTheExperimentLocation() {
        String experimentId = post("experiments/create", Map.of("name", unique("loc"),
                "artifact_location", "s3://bucket/some/prefix/")).statusCode(200).extract().path("experiment_id");
        String runId = createRun(experimentId);
        assertEquals("s3://bucket/some/prefix/" + runId + "/artifacts", getRun(runId).getString("run.info.artifact_uri"));
    }

    @Test
    void createInDeletedOrUnknownExperimentIsRefused() {
        String experimentId = createExperiment();
        post("experiments/delete", Map.of("experiment_id", experimentId)).statusCode(200);
        invalid(post("runs/create", Map.of("experiment_id", experimentId)));
        fails(post("runs/create", Map.of("experiment_id", "987654321987")), 404, "RESOURCE_DOES_NOT_EXIST");
        invalid(post("runs/create", Map.of("experiment_id", createExperiment(), "tags", List.of(tag("a*b", "v")))));
    }

    @Test
    void updateSetsStatusEndTimeAndName() {
        String runId = createRun();
        post("runs/update", Map.of("run_id", runId, "status", "FINISHED", "end_time", 99999, "run_name", "renamed"))
                .statusCode(200)
                .body("run_info.run_id", equalTo(runId))
                .body("run_info.status", equalTo("FINISHED"))
                .body("run_info.end_time", equalTo(99999))
                .body("run_info.run_name", equalTo("renamed"));

        JsonPath run = getRun(runId);
        assertEquals("FINISHED", run.getString("run.info.status"));
        assertEquals(99999L, run.getLong("run.info.end_time"));
        assertEquals("renamed", tagValue(run, RUN_NAME_TAG));

        post("runs/update", Map.of("run_uuid", runId, "status", "KILLED")).statusCode(200)
                .body("run_info.status", equalTo("KILLED"))
                .body("run_info.run_name", equalTo("renamed"))
                .body("run_info.end_time", equalTo(99999));
    }

    @Test
    void invalidUpdatesAreRefused() {
        String runId = createRun();
        invalid(post("runs/update", Map.of("run_id", runId, "status", "DONE")));
        invalid(post("runs/update", Map.of("status", "FINISHED")));
        fails(post("runs/update", Map.of("run_id", "0".repeat(32), "status", "FINISHED")), 404, "RESOURCE_DOES_NOT_EXIST");
        assertEquals("RUNNING", getRun(runId).getString("run.info.status"));
    }

    @Test
    void deleteAndRestoreRun() {
        String runId = createRun();
        post("runs/delete", Map.of("run_id", runId)).statusCode(200).body(equalTo("{}"));
        assertEquals("deleted", getRun(runId).getString("run.info.lifecycle_stage"));
        post("runs/restore", Map.of("run_id", runId)).statusCode(200).body(equalTo("{}"));
        assertEquals("active", getRun(runId).getString("run.info.lifecycle_stage"));
        fails(post("runs/delete", Map.of("run_id", "f".repeat(32))), 404, "RESOURCE_DOES_NOT_EXIST");
    }

    @Test
    void unknownRunIsNotFound() {
        fails(get("runs/get", "run_id", "0123456789abcdef0123456789abcdef"), 404, "RESOURCE_DOES_NOT_EXIST");
        fails(given().queryParam("run_id", "nope").get(AJAX + "runs/get").then(), 404, "RESOURCE_DOES_NOT_EXIST");
        invalid(get("runs/get"));
    }

    @Test
    void writesToADeletedRunAreRefusedAndChangeNothing() {
        String runId = createRun();
        logBatch(runId, List.of(metric("m", 1.0, 1, 0)), List.of(param("p", "1")), List.of(tag("t", "1"))).statusCode(200);
        post("runs/delete", Map.of("run_id", runId)).statusCode(200);
        JsonPath before = getRun(runId);

        invalid(post("runs/log-metric", Map.of("run_id", runId, "key", "m", "value", 2.0, "timestamp", 2, "step", 1)));
        invalid(post("runs/log-parameter", Map.of("run_id", runId, "key", "q", "value", "2")));
        invalid(post("runs/set-tag", Map.of("run_id", runId, "key", "t", "value", "2")));
        invalid(post("runs/delete-tag", Map.of("run_id", runId, "key", "t")));
        invalid(logBatch(runId, List.of(metric("n", 3.0, 3, 0)), List.of(param("r", "3")), List.of(tag("u", "3"))));
        invalid(post("runs/update", Map.of("run_id", runId, "status", "FINISHED")));

        JsonPath after = getRun(runId);
        assertEquals(before.getString("run.data"), after.getString("run.data"));
        assertEquals("RUNNING", after.getString("run.info.status"));
    }

    @Test
    void setTagOnRunNameRenamesTheRun() {
        String runId = createRun();
        post("runs/set-tag", Map.of("run_id", runId, "key", RUN_NAME_TAG, "value", "tagged-name")).statusCode(200)
                .body(equalTo("{}"));
        assertEquals("tagged-name", getRun(runId).getString("run.info.run_name"));

        logBatch(runId, List.of(), List.of(), List.of(tag(RUN_NAME_TAG, "batch-name"))).statusCode(200);
        assertEquals("batch-name", getRun(runId).getString("run.info.run_name"));
    }

    @Test
    void deleteTagRemovesItOnceThenIsNotFound() {
        String runId = createRun();
        post("runs/set-tag", Map.of("run_id", runId, "key", "gone", "value", "soon")).statusCode(200);
        assertEquals("soon", tagValue(getRun(runId), "gone"));

        post("runs/delete-tag", Map.of("run_id", runId, "key", "gone")).statusCode(200).body(equalTo("{}"));
        assertNull(tagValue(getRun(runId), "gone"));
        fails(post("runs/delete-tag", Map.of("run_id", runId, "key", "gone")), 404, "RESOURCE_DOES_NOT_EXIST");
    }

    @Test
    void logInputsShowUpInTheRun() {
        String runId = createRun();
        Map<String, Object> dataset = Map.of("name", "train", "digest", "abc123", "source_type", "local",
                "source", "{\"uri\": \"/data/train.csv\"}", "schema", "{\"cols\": 3}");
        post("runs/log-inputs", Map.of("run_id", runId, "datasets", List.of(Map.of(
                "tags", List.of(Map.of("key", "mlflow.data.context", "value", "training")), "dataset", dataset))))
                .statusCode(200).body(equalTo("{}"));

        JsonPath run = getRun(runId);
        assertEquals(1, run.getList("run.inputs.dataset_inputs").size());
        assertEquals("train", run.getString("run.inputs.dataset_inputs[0].dataset.name"));
        assertEquals("abc123", run.getString("run.inputs.dataset_inputs[0].dataset.digest"));
        assertEquals("local", run.getString("run.inputs.dataset_inputs[0].dataset.source_type"));
        assertEquals("{\"cols\": 3}", run.getString("run.inputs.dataset_inputs[0].dataset.schema"));
        assertEquals("mlflow.data.context", run.getString("run.inputs.dataset_inputs[0].tags[0].key"));
        assertEquals("training", run.getString("run.inputs.dataset_inputs[0].tags[0].value"));
    }

    @Test
    void logInputsValidatesDatasets() {
        String runId = createRun();
        invalid(post("runs/log-inputs", Map.of("run_id", runId, "datasets", List.of(Map.of(
                "dataset", Map.of("name", "train", "source_type", "local", "source", "x"))))));
        invalid(post("runs/log-inputs", Map.of("run_id", runId, "datasets", List.of(Map.of(
                "dataset", Map.of("name", "train", "digest", "d".repeat(37), "source_type", "local", "source", "x"))))));
        assertNull(getRun(runId).get("run.inputs.dataset_inputs"));
    }

    @Test
    void logModelAppendsToTheHistoryTag() {
        String runId = createRun();
        post("runs/log-model", Map.of("run_id", runId, "model_json", modelJson(runId, "model"))).statusCode(200)
                .body(equalTo("{}"));
        JsonPath first = new JsonPath(tagValue(getRun(runId), MODEL_HISTORY_TAG));
        assertEquals(List.of("model"), first.getList("artifact_path"));

        post("runs/log-model", Map.of("run_id", runId, "model_json", modelJson(runId, "second"))).statusCode(200);
        JsonPath second = new JsonPath(tagValue(getRun(runId), MODEL_HISTORY_TAG));
        assertEquals(List.of("model", "second"), second.getList("artifact_path"));
        assertEquals(runId, second.getString("[1].run_id"));
    }

    @Test
    void malformedOrIncompleteModelsAreRefused() {
        String runId = createRun();
        invalid(post("runs/log-model", Map.of("run_id", runId, "model_json", "{not json")));
        invalid(post("runs/log-model", Map.of("run_id", runId, "model_json", "[1, 2]")));
        invalid(post("runs/log-model", Map.of("run_id", runId, "model_json", "{\"artifact_path\": \"m\", \"run_id\": \"x\"}")));
        invalid(post("runs/log-model", Map.of("run_id", runId)));
        assertNull(tagValue(getRun(runId), MODEL_HISTORY_TAG));
    }

    @Test
    void ajaxPrefixServesRunEndpoints() {
        String experimentId = createExperiment();
        String runId = given().contentType(ContentType.JSON).body(Map.of("experiment_id", experimentId))
                .post(AJAX + "runs/create").then().statusCode(200)
                .body("run.info.run_id", matchesPattern("[0-9a-f]{32}"))
                .extract().path("run.info.run_id");
        given().contentType(ContentType.JSON).body(Map.of("run_id", runId, "key", "via", "value", "ajax"))
                .post(AJAX + "runs/set-tag").then().statusCode(200);
        assertEquals("ajax", tagValue(getRun(runId), "via"));
    }

    private static String modelJson(String runId, String artifactPath) {
        return "{\"artifact_path\": \"" + artifactPath + "\", \"run_id\": \"" + runId + "\", "
                + "\"utc_time_created\": \"2024-01-01 00:00:00.000000\", \"flavors\": {\"python_function\": {}}}";
    }

    private static String tagValue(JsonPath run, String key) {
        return run.getString("run.data.tags.find { it.key == '" + key + "' }.value");
    }
}
