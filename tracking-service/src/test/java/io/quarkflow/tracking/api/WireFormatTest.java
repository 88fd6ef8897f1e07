package io.quarkflow.tracking.api;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;

import static io.quarkflow.tracking.api.TrackingApi.AJAX;
import static io.quarkflow.tracking.api.TrackingApi.API;
import static io.quarkflow.tracking.api.TrackingApi.createRun;
import static io.quarkflow.tracking.api.TrackingApi.fails;
import static io.quarkflow.tracking.api.TrackingApi.get;
import static io.quarkflow.tracking.api.TrackingApi.invalid;
import static io.quarkflow.tracking.api.TrackingApi.post;
import static io.quarkflow.tracking.api.TrackingApi.unique;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.emptyString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** MLflow's protobuf-JSON conventions: content types, error bodies, omitted fields, numbers, empty responses. */
@QuarkusTest
class WireFormatTest {

    @TestHTTPResource("/")
    URL base;

    @Test
    void postMustBeJson() {
        String name = unique("plain");
        invalid(given().contentType(ContentType.TEXT).body("{\"name\": \"" + name + "\"}")
                .post(API + "experiments/create").then())
                .body("message", containsString("Content-Type"));
        invalid(given().contentType("application/x-www-form-urlencoded").formParam("name", name)
                .post(AJAX + "experiments/create").then());
        fails(get("experiments/get-by-name", "experiment_name", name), 404, "RESOURCE_DOES_NOT_EXIST");
    }

    @Test
    void postWithoutContentTypeIsRefused() throws IOException, InterruptedException {
        String name = unique("untyped");
        HttpResponse<String> response = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create(base + "api/2.0/mlflow/experiments/create"))
                        .POST(HttpRequest.BodyPublishers.ofString("{\"name\": \"" + name + "\"}")).build(),
                HttpResponse.BodyHandlers.ofString());

        assertEquals(400, response.statusCode());
        assertEquals("INVALID_PARAMETER_VALUE", new JsonPath(response.body()).getString("error_code"));
        fails(get("experiments/get-by-name", "experiment_name", name), 404, "RESOURCE_DOES_NOT_EXIST");
    }

    @Test
    void jsonWithCharsetAndUnknownFieldsIsAccepted() {
        given().contentType("application/json; charset=utf-8")
                .body("{\"name\": \"" + unique("charset") + "\", \"not_a_field\": {\"x\": 1}}")
                .post(API + "experiments/create").then().statusCode(200)
                .body("experiment_id", not(emptyString()));
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"name\": ", "{name: 'x'}", "not json", "[1]", "\"x\"", "42", "{\"name\": \"a\",}"})
    void malformedBodiesAreJsonErrors(String body) {
        invalid(post("experiments/create", body))
                .body(not(containsString("<html")));
    }

    /** MLflow's parser refuses the whole body; taking the first object would act on half a request. */
    @Test
    void trailingContentAfterTheObjectIsRefused() {
        String name = unique("trailing");
        invalid(post("experiments/create", "{\"name\": \"" + name + "\"} {\"name\": \"other\"}"));
        invalid(post("experiments/create", "{\"name\": \"" + name + "\"}}"));
        fails(get("experiments/get-by-name", "experiment_name", name), 404, "RESOURCE_DOES_NOT_EXIST");
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"max_results\": \"abc\"}", "{\"max_results\": 1.5}", "{\"max_results\": true}",
        "{\"order_by\": \"name\"}", "{\"filter\": {\"name\": \"x\"}}"})
    void wrongTypesAreJsonErrors(String body) {
        invalid(post("experiments/search", body));
    }

    @Test
    void wrongTypesInNestedFieldsAreJsonErrors() {
        String name = unique("typed");
        invalid(post("experiments/create", "{\"name\": \"" + name + "\", \"tags\": \"x\"}"));
        invalid(post("experiments/create", "{\"name\": \"" + name + "\", \"tags\": [{\"key\": [], \"value\": \"v\"}]}"));
        fails(get("experiments/get-by-name", "experiment_name", name), 404, "RESOURCE_DOES_NOT_EXIST");

        String runId = createRun();
        invalid(post("runs/log-batch", "{\"run_id\": \"" + runId + "\", \"metrics\": {\"key\": \"m\"}}"));
        invalid(post("runs/log-batch", "{\"run_id\": \"" + runId + "\", \"metrics\": "
                + "[{\"key\": \"m\", \"value\": 1, \"timestamp\": \"soon\"}]}"));
    }

    /** A null list element used to reach the services and come back as a 500. */
    @Test
    void nullListElementsAreJsonErrors() {
        String name = unique("null-element");
        invalid(post("experiments/create", "{\"name\": \"" + name + "\", \"tags\": [null]}"));
        fails(get("experiments/get-by-name", "experiment_name", name), 404, "RESOURCE_DOES_NOT_EXIST");
        invalid(post("experiments/search", "{\"order_by\": [null]}"));
        invalid(post("runs/create", "{\"experiment_id\": \"0\", \"tags\": [null]}"));

        String runId = createRun();
        invalid(post("runs/log-batch", "{\"run_id\": \"" + runId + "\", \"metrics\": [null]}"));
        invalid(post("runs/log-batch", "{\"run_id\": \"" + runId + "\", \"params\": [null]}"));
        invalid(post("runs/log-inputs", "{\"run_id\": \"" + runId + "\", \"datasets\": [null]}"));
        invalid(post("runs/log-inputs", "{\"run_id\": \"" + runId + "\", \"datasets\": [{\"dataset\": null}]}"));
    }

    @Test
    void unknownEndpointsAreJson404s() {
        fails(given().get(API + "no/such/endpoint").then(), 404, "ENDPOINT_NOT_FOUND");
        fails(given().get(AJAX + "runs/no-such-endpoint").then(), 404, "ENDPOINT_NOT_FOUND");
        fails(post("experiments/no-such-endpoint", Map.of()), 404, "ENDPOINT_NOT_FOUND");
    }

    @Test
    void emptyResponsesAreExactlyAnEmptyObject() {
        String runId = createRun();
        assertEquals("{}", post("runs/set-tag", Map.of("run_id", runId, "key", "k", "value", "v"))
                .statusCode(200).extract().asString());
        assertEquals("{}", post("runs/log-batch", Map.of("run_id", runId)).statusCode(200).extract().asString());
        assertEquals("{}", post("runs/delete", Map.of("run_id", runId)).statusCode(200).extract().asString());
    }

    @Test
    void unsetFieldsAreOmitted() {
        String runId = createRun();
        String body = get("runs/get", "run_id", runId).statusCode(200).extract().asString();

        assertFalse(body.contains("end_time"), body);
        assertFalse(body.contains("null"), body);
        assertFalse(body.contains("\"metrics\""), "no metrics logged, so no metrics key: " + body);
        assertFalse(body.contains("\"params\""), body);
        assertFalse(body.contains("next_page_token"), body);
    }

    @Test
    void int64ValuesAreJsonNumbersWithoutPrecisionLoss() {
        String runId = createRun();
        long beyondDoublePrecision = 9_007_199_254_740_993L;
        post("runs/log-metric", Map.of("run_id", runId, "key", "m", "value", 1.0,
                "timestamp", String.valueOf(beyondDoublePrecision), "step", "12345678901")).statusCode(200);

        String run = get("runs/get", "run_id", runId).statusCode(200).extract().asString();
        assertTrue(run.contains("\"timestamp\":" + beyondDoublePrecision), run);
        assertTrue(run.contains("\"step\":12345678901"), run);
        assertTrue(run.matches("(?s).*\"start_time\":\\d+.*"), run);

        String history = get("metrics/get-history", "run_id", runId, "metric_key", "m").statusCode(200)
                .extract().asString();
        assertTrue(history.contains("\"timestamp\":" + beyondDoublePrecision), history);
        String experiment = get("experiments/get", "experiment_id", "0").statusCode(200).extract().asString();
        assertTrue(experiment.matches("(?s).*\"creation_time\":\\d+.*"), experiment);
    }

    @Test
    void enumsAreNames() {
        String runId = createRun();
        post("runs/update", Map.of("run_id", runId, "status", 3)).statusCode(200)
                .body("run_info.status", equalTo("FINISHED"));
    }

    @Test
    void healthAndVersion() {
        given().get("/health").then().statusCode(200).body(equalTo("OK"));
        given().get("/version").then().statusCode(200).body(not(emptyString()));
    }
}
