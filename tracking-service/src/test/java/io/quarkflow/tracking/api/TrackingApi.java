package io.quarkflow.tracking.api;

import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.path.json.config.JsonPathConfig;
import io.restassured.path.json.config.JsonPathConfig.NumberReturnType;
import io.restassured.response.ValidatableResponse;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.emptyOrNullString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;

/** The few calls every tracking test needs, so tests read as behaviour rather than HTTP plumbing. */
final class TrackingApi {

    static final String API = "/api/2.0/mlflow/";
    static final String AJAX = "/ajax-api/2.0/mlflow/";

    /** RestAssured's default number type (FLOAT_AND_DOUBLE) reads -1.7976931348623157E308 as -Infinity. */
    private static final JsonPathConfig DOUBLES = new JsonPathConfig(NumberReturnType.DOUBLE);

    private TrackingApi() {
    }

    static String unique(String prefix) {
        return prefix + "-" + System.nanoTime();
    }

    /** POSTs a JSON body (a Map, a List or a raw JSON string) to a path under /api/2.0/mlflow/. */
    static ValidatableResponse post(String path, Object body) {
        return given().contentType(ContentType.JSON).body(body).post(API + path).then();
    }

    static ValidatableResponse patch(String path, Object body) {
        return given().contentType(ContentType.JSON).body(body).patch(API + path).then();
    }

    /** DELETE with a JSON body, as MLflow's client sends it for logged models, or without one (body null). */
    static ValidatableResponse delete(String path, Object body) {
        var request = given();
        if (body != null) {
            request = request.contentType(ContentType.JSON).body(body);
        }
        return request.delete(API + path).then();
    }

    static ValidatableResponse get(String path, Object... nameValuePairs) {
        var request = given();
        for (int i = 0; i < nameValuePairs.length; i += 2) {
            request = request.queryParam((String) nameValuePairs[i], nameValuePairs[i + 1]);
        }
        return request.get(API + path).then();
    }

    /** Asserts MLflow's error shape: the status, a JSON body with the error code and a non-empty message. */
    static ValidatableResponse fails(ValidatableResponse response, int status, String errorCode) {
        return response.statusCode(status)
                .contentType(ContentType.JSON)
                .body("error_code", equalTo(errorCode))
                .body("message", not(emptyOrNullString()));
    }

    /** The body of a successful response, decimals read as doubles. */
    static JsonPath json(ValidatableResponse response) {
        return response.statusCode(200).extract().jsonPath().using(DOUBLES);
    }

    static ValidatableResponse invalid(ValidatableResponse response) {
        return fails(response, 400, "INVALID_PARAMETER_VALUE");
    }

    static String createExperiment(String name) {
        return post("experiments/create", Map.of("name", name)).statusCode(200).extract().path("experiment_id");
    }

    static String createExperiment() {
        return createExperiment(unique("exp"));
    }

    static JsonPath getExperiment(String experimentId) {
        return json(get("experiments/get", "experiment_id", experimentId));
    }

    static String createRun(String experimentId) {
        return post("runs/create", Map.of("experiment_id", experimentId)).statusCode(200)
                .extract().path("run.info.run_id");
    }

    /** A run in a fresh experiment of its own. */
    static String createRun() {
        return createRun(createExperiment());
    }

    static JsonPath getRun(String runId) {
        return json(get("runs/get", "run_id", runId));
    }

    /** A logged model in the experiment, with the other create fields given as name-value pairs. */
    static String createModel(String experimentId, Object... nameValuePairs) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("experiment_id", experimentId);
        for (int i = 0; i < nameValuePairs.length; i += 2) {
            body.put((String) nameValuePairs[i], nameValuePairs[i + 1]);
        }
        return post("logged-models", body).statusCode(200).extract().path("model.info.model_id");
    }

    static JsonPath getModel(String modelId) {
        return json(get("logged-models/" + modelId));
    }

    static ValidatableResponse logBatch(String runId, List<?> metrics, List<?> params, List<?> tags) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("run_id", runId);
        body.put("metrics", metrics);
        body.put("params", params);
        body.put("tags", tags);
        return post("runs/log-batch", body);
    }

    static Map<String, Object> metric(String key, Object value, Object timestamp, Object step) {
        Map<String, Object> metric = new LinkedHashMap<>();
        metric.put("key", key);
        metric.put("value", value);
        metric.put("timestamp", timestamp);
        metric.put("step", step);
        return metric;
    }

    static Map<String, Object> param(String key, String value) {
        return Map.of("key", key, "value", value);
    }

    static Map<String, Object> tag(String key, String value) {
        return Map.of("key", key, "value", value);
    }

    /** {@code count} entries made by {@code factory.apply(i)}, for limit tests. */
    static List<Map<String, Object>> many(int count, IntFunction<Map<String, Object>> factory) {
        List<Map<String, Object>> items = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            items.add(factory.apply(i));
        }
        return items;
    }

    static JsonPath history(String runId, String key) {
        return json(get("metrics/get-history", "run_id", runId, "metric_key", key));
    }
}
