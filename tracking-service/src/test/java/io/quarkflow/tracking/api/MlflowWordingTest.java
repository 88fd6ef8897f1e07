package io.quarkflow.tracking.api;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static io.quarkflow.tracking.api.TrackingApi.AJAX;
import static io.quarkflow.tracking.api.TrackingApi.createExperiment;
import static io.quarkflow.tracking.api.TrackingApi.createRun;
import static io.quarkflow.tracking.api.TrackingApi.get;
import static io.quarkflow.tracking.api.TrackingApi.history;
import static io.quarkflow.tracking.api.TrackingApi.invalid;
import static io.quarkflow.tracking.api.TrackingApi.logBatch;
import static io.quarkflow.tracking.api.TrackingApi.metric;
import static io.quarkflow.tracking.api.TrackingApi.param;
import static io.quarkflow.tracking.api.TrackingApi.post;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Errors worded as MLflow's server words them. Every expected message is what MLflow 3.3's own server (sqlite
 * backend) answered to the same request on 2026-11-30; MLflow's REST tests assert such messages.
 */
@QuarkusTest
class MlflowWordingTest {

    private static final String DOCS = " See the API docs for more information about request parameters.";

    @Test
    void wrongTypesNameTheValueAndItsPythonType() {
        says(post("experiments/create", Map.of("name", 123)),
                "Invalid value 123 for parameter 'name' supplied:  Hint: Value was of type 'int'." + DOCS);
        says(post("experiments/create", Map.of("name", "x", "tags", "5")),
                "Invalid value \"5\" for parameter 'tags' supplied:  Hint: Value was of type 'str'." + DOCS);
        says(post("runs/log-metric", Map.of("run_id", 31, "key", "m", "value", 41, "timestamp", 59)),
                "Invalid value 31 for parameter 'run_id' supplied:  Hint: Value was of type 'int'." + DOCS);
        says(post("runs/log-metric", Map.of("run_id", createRun(), "key", List.of(1, 2), "value", 1, "timestamp", 1)),
                "Invalid value [1,2] for parameter 'key' supplied:  Hint: Value was of type 'list'." + DOCS);
    }

    @Test
    void emptyRequiredStringsAreMissing() {
        String runId = createRun();
        says(post("experiments/create", Map.of("name", "")), "Missing value for required parameter 'name'." + DOCS);
        says(post("runs/set-tag", Map.of("run_id", runId, "key", "", "value", "v")),
                "Missing value for required parameter 'key'." + DOCS);
        says(post("runs/log-batch", Map.of("run_id", runId, "params", List.of(param("", "v")))),
                "Missing value for required parameter 'params[0].key'." + DOCS);
    }

    @Test
    void batchesWordTheirRefusalsInPython() {
        String runId = createRun();
        post("runs/log-parameter", Map.of("run_id", runId, "key", "p", "value", "1")).statusCode(200);
        says(logBatch(runId, List.of(), List.of(param("p", "9")), List.of()),
                "Changing param values is not allowed. Params were already logged='[{'key': 'p', 'old_value': '1', "
                        + "'new_value': '9'}]' for run ID='" + runId + "'.");
        says(logBatch(runId, List.of(), List.of(param("q", "1"), param("q", "2")), List.of()),
                "Duplicate parameter keys have been submitted: ['q']. Please ensure the request contains only one "
                        + "param value per param key.");
        // MLflow prints this set in its hash order, which changes from process to process; ours is sorted.
        says(post("runs/log-model", Map.of("run_id", runId, "model_json", "{}")), "Model json is missing mandatory "
                + "fields: {'artifact_path', 'flavors', 'run_id', 'utc_time_created'}");
        says(post("runs/log-metric", Map.of("run_id", runId, "key", "m", "value", 1, "timestamp", -5)),
                "Invalid value -5 for parameter 'timestamp' supplied: metric 'm' (value=1.0). Timestamp must be a "
                        + "nonnegative long (64-bit integer) ");
    }

    @Test
    void searchesWordTheirRefusalsAsMlflowDoes() {
        String experimentId = createExperiment();
        says(post("runs/search", Map.of("experiment_ids", List.of(experimentId), "filter", "params.p > 1")),
                "Expected a quoted string value for parameter (e.g. 'my-value'). Got value 1");
        says(post("runs/search", Map.of("experiment_ids", List.of(experimentId), "filter", "metrics.m >")),
                "Invalid clause(s) in filter string: 'metrics.m', '>'");
        says(post("runs/search", Map.of("experiment_ids", List.of(experimentId), "order_by", List.of("metrics.m UP"))),
                "Invalid ordering key in order_by clause 'metrics.m UP'.");
        says(post("runs/search", Map.of("experiment_ids", List.of(experimentId), "order_by",
                List.of("metrics.m ASC x"))), "Invalid order_by clause 'metrics.m ASC x'. Could not be parsed.");
        says(post("runs/search", Map.of("experiment_ids", List.of(experimentId), "max_results", 100000)),
                "Invalid value 100000 for parameter 'max_results' supplied:  Hint: Value was of type 'int'." + DOCS);
        says(post("runs/search", Map.of("experiment_ids", List.of(experimentId), "max_results", 0)),
                "Invalid value 0 for parameter 'max_results' supplied. It must be a positive integer");
        says(post("runs/search", Map.of("experiment_ids", List.of(experimentId), "page_token", "garbage")),
                "Invalid page token, could not base64-decode");
        says(post("experiments/search", Map.of("max_results", 100000)),
                "Invalid value 100000 for parameter 'max_results' supplied. It must be at most 50000");
    }

    @Test
    void historyBulkHasItsOwnWords() {
        says(given().queryParam("metric_key", "m").get(AJAX + "metrics/get-history-bulk").then(),
                "GetMetricHistoryBulk request must specify at least one run_id.");
        says(given().queryParam("run_id", createRun()).get(AJAX + "metrics/get-history-bulk").then(),
                "GetMetricHistoryBulk request must specify a metric_key.");
        says(given().queryParam("run_ids", createRun()).queryParam("metric_key", "m").queryParam("max_results", 0)
                .get(AJAX + "metrics/get-history-bulk-interval").then(), "max_results must be between 1 and 2500." + DOCS);
    }

    @Test
    void historyComesInMlflowsOrderTimestampThenStepThenValue() {
        String runId = createRun();
        logBatch(runId, List.of(metric("m", 3.0, 300, 1), metric("m", 2.0, 100, 2), metric("m", 1.0, 200, 0),
                metric("m", 0.5, 100, 2)), List.of(), List.of()).statusCode(200);
        var points = history(runId, "m");
        assertEquals(List.of(100L, 100L, 200L, 300L), points.getList("metrics.timestamp", Long.class));
        assertEquals(List.of(0.5, 2.0, 1.0, 3.0), points.getList("metrics.value", Double.class));
        String firstPage = get("metrics/get-history", "run_id", runId, "metric_key", "m", "max_results", 3)
                .statusCode(200).extract().path("next_page_token");
        assertEquals(List.of(300L), get("metrics/get-history", "run_id", runId, "metric_key", "m", "max_results", 3,
                "page_token", firstPage).statusCode(200).extract().jsonPath().getList("metrics.timestamp", Long.class));
        assertEquals(2.0, TrackingApi.getRun(runId).getDouble("run.data.metrics[0].value"),
                "the latest point is still the greatest (step, timestamp, value)");
    }

    private static void says(ValidatableResponse response, String message) {
        invalid(response).body("message", equalTo(message));
    }
}
