package io.quarkflow.tracking.api;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static io.quarkflow.tracking.api.TrackingApi.AJAX;
import static io.quarkflow.tracking.api.TrackingApi.createExperiment;
import static io.quarkflow.tracking.api.TrackingApi.createModel;
import static io.quarkflow.tracking.api.TrackingApi.createRun;
import static io.quarkflow.tracking.api.TrackingApi.delete;
import static io.quarkflow.tracking.api.TrackingApi.fails;
import static io.quarkflow.tracking.api.TrackingApi.get;
import static io.quarkflow.tracking.api.TrackingApi.getModel;
import static io.quarkflow.tracking.api.TrackingApi.invalid;
import static io.quarkflow.tracking.api.TrackingApi.json;
import static io.quarkflow.tracking.api.TrackingApi.param;
import static io.quarkflow.tracking.api.TrackingApi.patch;
import static io.quarkflow.tracking.api.TrackingApi.post;
import static io.quarkflow.tracking.api.TrackingApi.tag;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * MLflow 3's logged-model endpoints: create, get, finalize, delete, params and tags. Where a test says "MLflow's
 * server", the answer was taken from MLflow 3.3's own (mlflow server, SQL store), sent the same request.
 */
@QuarkusTest
class LoggedModelResourceTest {

    private static final String MISSING = "Missing value for required parameter '%s'. "
            + "See the API docs for more information about request parameters.";

    @Test
    void createAnswersTheWholeModelPending() {
        String experimentId = createExperiment();
        String runId = createRun(experimentId);
        long before = System.currentTimeMillis();
        JsonPath created = json(post("logged-models", Map.of("experiment_id", experimentId, "name", "model",
                "model_type", "classifier", "source_run_id", runId,
                "params", List.of(param("b", "2"), param("a", "1")),
                "tags", List.of(tag("mlflow.user", "ada"), tag("mlflow.source.name", "train.py")))));

        String modelId = created.getString("model.info.model_id");
        assertTrue(modelId.matches("m-[0-9a-f]{32}"), modelId);
        assertEquals(experimentId, created.getString("model.info.experiment_id"));
        assertEquals("model", created.getString("model.info.name"));
        assertEquals("classifier", created.getString("model.info.model_type"));
        assertEquals(runId, created.getString("model.info.source_run_id"));
        assertEquals("LOGGED_MODEL_PENDING", created.getString("model.info.status"));
        assertEquals("mlflow-artifacts:/" + experimentId + "/models/" + modelId + "/artifacts",
                created.getString("model.info.artifact_uri"));
        long createdAt = created.getLong("model.info.creation_timestamp_ms");
        assertTrue(createdAt >= before && createdAt <= System.currentTimeMillis(), String.valueOf(createdAt));
        assertEquals(createdAt, created.getLong("model.info.last_updated_timestamp_ms"));
        assertEquals(List.of(Map.of("key", "mlflow.source.name", "value", "train.py"), Map.of("key", "mlflow.user",
                "value", "ada")), created.getList("model.info.tags"));
        assertEquals(List.of(param("a", "1"), param("b", "2")), created.getList("model.data.params"));
        assertNull(created.get("model.data.metrics"));

        assertEquals(created.getMap("model"), getModel(modelId).getMap("model"));
    }

    @Test
    void createWithoutOptionalFieldsAsMlflowsServer() {
        String experimentId = createExperiment();
        // MLflow's server: a generated name, model_type and source_run_id as empty strings, "data": {}.
        JsonPath created = json(post("logged-models", Map.of("experiment_id", experimentId)));
        assertTrue(created.getString("model.info.name").matches("[a-z]+-[a-z]+-\\d{1,3}"),
                created.getString("model.info.name"));
        assertEquals("", created.getString("model.info.model_type"));
        assertEquals("", created.getString("model.info.source_run_id"));
        assertEquals(Map.of(), created.getMap("model.data"));
        assertNull(created.get("model.info.tags"));

        String named = json(post("logged-models", Map.of("experiment_id", experimentId, "name", "")))
                .getString("model.info.name");
        assertTrue(!named.isEmpty(), "an empty name is generated too");
    }

    @Test
    void namesNeedNotBeUnique() {
        String experimentId = createExperiment();
        String first = createModel(experimentId, "name", "model");
        String second = createModel(experimentId, "name", "model");
        assertTrue(!first.equals(second));
        assertEquals("model", getModel(second).getString("model.info.name"));
    }

    @Test
    void createErrorsAsMlflowsServer() {
        String experimentId = createExperiment();
        invalid(post("logged-models", Map.of())).body("message", equalTo(String.format(MISSING, "experiment_id")));
        fails(post("logged-models", Map.of("experiment_id", "987654321")), 404, "RESOURCE_DOES_NOT_EXIST")
                .body("message", equalTo("No Experiment with id=987654321 exists"));
        // MLflow's server answers a non-integer id with a 500 (int() fails); it names no experiment here.
        fails(post("logged-models", Map.of("experiment_id", "abc")), 404, "RESOURCE_DOES_NOT_EXIST");
        invalid(post("logged-models", Map.of("experiment_id", experimentId, "name", "a.b"))).body("message", equalTo(
                "Invalid model name ('a.b') provided. Model name must be a non-empty string and cannot contain the "
                        + "following characters: ('/', ':', '.', '%', '\"', \"'\")"));
        invalid(post("logged-models", Map.of("experiment_id", experimentId, "params",
                List.of(param("a", "1"), param("a", "2")))));
        invalid(post("logged-models", Map.of("experiment_id", experimentId, "tags", List.of(Map.of("value", "v")))))
                .body("message", equalTo(String.format(MISSING, "tags[0].key")));
        invalid(post("logged-models", "{\"experiment_id\": \"" + experimentId + "\", \"params\": {\"a\": 1}}"));
        invalid(given().contentType(ContentType.JSON).post(TrackingApi.API + "logged-models").then());

        post("experiments/delete", Map.of("experiment_id", experimentId)).statusCode(200);
        invalid(post("logged-models", Map.of("experiment_id", experimentId))).body("message", equalTo(
                "The experiment " + experimentId + " must be in the 'active' state. Current state is deleted."));
    }

    @Test
    void unknownModelsAreMlflowsNotFound() {
        String unknown = "m-" + "0".repeat(32);
        notFound(get("logged-models/" + unknown), unknown);
        notFound(get("logged-models/nope"), "nope");
        notFound(patch("logged-models/" + unknown, Map.of("model_id", unknown, "status", "LOGGED_MODEL_READY")), unknown);
        notFound(delete("logged-models/" + unknown, Map.of("model_id", unknown)), unknown);
        notFound(post("logged-models/" + unknown + "/params", Map.of("model_id", unknown, "params", List.of(param("a", "1")))),
                unknown);
        notFound(patch("logged-models/" + unknown + "/tags", Map.of("tags", List.of(tag("a", "1")))), unknown);
        notFound(delete("logged-models/" + unknown + "/tags/a", null), unknown);
    }

    @Test
    void finalizeTakesTheStatusByNameOrNumber() {
        String modelId = createModel(createExperiment(), "tags", List.of(tag("t", "v")), "params", List.of(param("p", "1")));
        long created = getModel(modelId).getLong("model.info.creation_timestamp_ms");

        JsonPath ready = json(patch("logged-models/" + modelId, Map.of("model_id", modelId, "status", "LOGGED_MODEL_READY")));
        assertEquals("LOGGED_MODEL_READY", ready.getString("model.info.status"));
        assertTrue(ready.getLong("model.info.last_updated_timestamp_ms") >= created);
        assertEquals(created, ready.getLong("model.info.creation_timestamp_ms"));
        assertEquals("v", ready.getString("model.info.tags[0].value"), "the whole model comes back");
        assertEquals("1", ready.getString("model.data.params[0].value"));
        assertEquals(ready.getMap("model"), getModel(modelId).getMap("model"));

        assertEquals("LOGGED_MODEL_UPLOAD_FAILED", json(patch("logged-models/" + modelId,
                Map.of("model_id", modelId, "status", 3))).getString("model.info.status"));
        assertEquals("LOGGED_MODEL_READY", json(patch("logged-models/" + modelId,
                Map.of("model_id", modelId, "status", "2"))).getString("model.info.status"));
        // MLflow checks no transitions: any status, again and again.
        assertEquals("LOGGED_MODEL_PENDING", json(patch("logged-models/" + modelId,
                Map.of("model_id", modelId, "status", "LOGGED_MODEL_PENDING"))).getString("model.info.status"));
    }

    @Test
    void finalizeErrors() {
        String modelId = createModel(createExperiment());
        invalid(patch("logged-models/" + modelId, Map.of("model_id", modelId)))
                .body("message", equalTo(String.format(MISSING, "status")));
        invalid(patch("logged-models/" + modelId, Map.of("status", "LOGGED_MODEL_READY")))
                .body("message", equalTo(String.format(MISSING, "model_id")));
        // MLflow's server stores these as LOGGED_MODEL_STATUS_UNSPECIFIED (protobuf's default for an unknown enum
        // value) and a boolean true as PENDING; they are refused here, in the words of MLflow's own from_int.
        invalid(patch("logged-models/" + modelId, Map.of("model_id", modelId, "status", "BOGUS")))
                .body("message", equalTo("Unknown model status: BOGUS"));
        invalid(patch("logged-models/" + modelId, Map.of("model_id", modelId, "status", 7)))
                .body("message", equalTo("Unknown model status: 7"));
        invalid(patch("logged-models/" + modelId, Map.of("model_id", modelId, "status", true)));
        // MLflow's server finalizes the body's model and ignores the path's; one request naming two is refused.
        String other = createModel(createExperiment());
        invalid(patch("logged-models/" + modelId, Map.of("model_id", other, "status", "LOGGED_MODEL_READY")));
        assertEquals("LOGGED_MODEL_PENDING", getModel(other).getString("model.info.status"));
        assertEquals("LOGGED_MODEL_PENDING", getModel(modelId).getString("model.info.status"));
    }

    @Test
    void deleteIsSoftAndRepeatable() {
        String experimentId = createExperiment();
        String modelId = createModel(experimentId, "name", "gone");
        String kept = createModel(experimentId, "name", "kept");

        delete("logged-models/" + modelId, Map.of("model_id", modelId)).statusCode(200).body(equalTo("{}"));
        notFound(get("logged-models/" + modelId), modelId);
        assertEquals(List.of(kept), json(post("logged-models/search", Map.of("experiment_ids", List.of(experimentId))))
                .getList("models.info.model_id"));
        delete("logged-models/" + modelId, null).statusCode(200).body(equalTo("{}"));

        // MLflow's store finds deleted models when it changes them; only get and search hide them.
        patch("logged-models/" + modelId, Map.of("model_id", modelId, "status", "LOGGED_MODEL_READY")).statusCode(200)
                .body("model.info.status", equalTo("LOGGED_MODEL_READY"));
        patch("logged-models/" + modelId + "/tags", Map.of("tags", List.of(tag("a", "1")))).statusCode(200);
        notFound(get("logged-models/" + modelId), modelId);
    }

    @Test
    void paramsAreAddedOnceAndNeverChanged() {
        String modelId = createModel(createExperiment(), "params", List.of(param("a", "1")));
        post("logged-models/" + modelId + "/params", Map.of("model_id", modelId,
                "params", List.of(param("c", "3"), param("b", "2")))).statusCode(200).body(equalTo("{}"));
        assertEquals(List.of(param("a", "1"), param("b", "2"), param("c", "3")),
                getModel(modelId).getList("model.data.params"));

        // MLflow's server answers any repeated key with a database error (400 BAD_REQUEST); a repeated value is
        // idempotent here (a retried request), a changed one refused as for runs.
        post("logged-models/" + modelId + "/params", Map.of("model_id", modelId, "params", List.of(param("a", "1"))))
                .statusCode(200);
        invalid(post("logged-models/" + modelId + "/params", Map.of("model_id", modelId,
                "params", List.of(param("d", "4"), param("a", "9"))))).body("message", equalTo(
                "Changing param values is not allowed. Param with key='a' was already logged with value='1' for model "
                        + "ID='" + modelId + "'. Attempted logging new value '9'."));
        assertEquals(3, getModel(modelId).getList("model.data.params").size(), "all or nothing");

        invalid(post("logged-models/" + modelId + "/params", Map.of("params", List.of(param("e", "5")))))
                .body("message", equalTo(String.format(MISSING, "model_id")));
        post("logged-models/" + modelId + "/params", Map.of("model_id", modelId)).statusCode(200);
    }

    @Test
    void tagsAreSetAndDeletedOneByOne() {
        String modelId = createModel(createExperiment(), "tags", List.of(tag("mlflow.model.isExternal", "true")));
        patch("logged-models/" + modelId + "/tags", Map.of("tags", List.of(tag("a", "1"), tag("b", "2"))))
                .statusCode(200).body(equalTo("{}"));
        patch("logged-models/" + modelId + "/tags", Map.of("tags", List.of(tag("a", "3")))).statusCode(200);
        patch("logged-models/" + modelId + "/tags", Map.of()).statusCode(200);
        assertEquals(List.of(tag("a", "3"), tag("b", "2"), tag("mlflow.model.isExternal", "true")),
                getModel(modelId).getList("model.info.tags"));

        // What Model.log does for external models: the key has dots, and nothing is URL-encoded.
        delete("logged-models/" + modelId + "/tags/mlflow.model.isExternal", null).statusCode(200).body(equalTo("{}"));
        fails(delete("logged-models/" + modelId + "/tags/mlflow.model.isExternal", null), 404, "RESOURCE_DOES_NOT_EXIST")
                .body("message", equalTo("No tag with key 'mlflow.model.isExternal' found for model with ID '"
                        + modelId + "'."));
        assertEquals(List.of(tag("a", "3"), tag("b", "2")), getModel(modelId).getList("model.info.tags"));
        invalid(patch("logged-models/" + modelId + "/tags", Map.of("tags", List.of(Map.of("value", "x")))));
    }

    @Test
    void servedUnderTheAjaxPrefixToo() {
        String experimentId = createExperiment();
        String modelId = given().contentType(ContentType.JSON).body(Map.of("experiment_id", experimentId, "name", "ui"))
                .post(AJAX + "logged-models").then().statusCode(200).extract().path("model.info.model_id");
        given().get(AJAX + "logged-models/" + modelId).then().statusCode(200).body("model.info.name", equalTo("ui"));
        given().contentType(ContentType.JSON).body(Map.of("experiment_ids", List.of(experimentId),
                        "order_by", List.of(Map.of("field_name", "creation_time", "ascending", false))))
                .post(AJAX + "logged-models/search").then().statusCode(200)
                .body("models[0].info.model_id", equalTo(modelId));
        given().contentType(ContentType.JSON).body(Map.of("tags", List.of(tag("k", "v"))))
                .patch(AJAX + "logged-models/" + modelId + "/tags").then().statusCode(200);
        given().contentType(ContentType.JSON).body(Map.of("model_id", modelId))
                .delete(AJAX + "logged-models/" + modelId).then().statusCode(200);
    }

    private static void notFound(io.restassured.response.ValidatableResponse response, String modelId) {
        fails(response, 404, "RESOURCE_DOES_NOT_EXIST").body("message",
                equalTo("Logged model with ID '" + modelId + "' not found."));
    }
}
