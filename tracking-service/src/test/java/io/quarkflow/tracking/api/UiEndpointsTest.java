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
import static io.quarkflow.tracking.api.TrackingApi.invalid;
import static io.quarkflow.tracking.api.TrackingApi.logBatch;
import static io.quarkflow.tracking.api.TrackingApi.many;
import static io.quarkflow.tracking.api.TrackingApi.metric;
import static io.quarkflow.tracking.api.TrackingApi.post;
import static io.quarkflow.tracking.api.TrackingApi.tag;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The routes MLflow's web UI calls besides the public API: multi-run history and dataset summaries. */
@QuarkusTest
class UiEndpointsTest {

    @Test
    void bulkHistoryReturnsEachRunsPointsWithRunIdsCappedByMaxResults() {
        String experimentId = createExperiment();
        String first = createRun(experimentId);
        String second = createRun(experimentId);
        logBatch(first, many(3, i -> metric("loss", 1.0 / (i + 1), i, i)), List.of(), List.of()).statusCode(200);
        logBatch(second, many(2, i -> metric("loss", 2.0, i, i)), List.of(), List.of()).statusCode(200);

        JsonPath all = given().queryParam("run_id", first, second).queryParam("metric_key", "loss")
                .get(AJAX + "metrics/get-history-bulk").then().statusCode(200).extract().jsonPath();
        // MLflow's order: by run id, whatever order the ids were asked in.
        boolean firstIsLower = first.compareTo(second) < 0;
        assertEquals(firstIsLower ? List.of(first, first, first, second, second)
                : List.of(second, second, first, first, first), all.getList("metrics.run_id"));
        assertEquals(firstIsLower ? List.of(0, 1, 2, 0, 1) : List.of(0, 1, 0, 1, 2), all.getList("metrics.step"));

        JsonPath capped = given().queryParam("run_id", first, second).queryParam("metric_key", "loss")
                .queryParam("max_results", 2).get(AJAX + "metrics/get-history-bulk").then().statusCode(200)
                .extract().jsonPath();
        assertEquals(2, capped.getList("metrics").size());
        // An id no run can have (run ids are 32 hex digits) has no points, as an unknown run has none.
        JsonPath oddIds = given().queryParam("run_id", "no-such-run", first, "F".repeat(32))
                .queryParam("metric_key", "loss").get(AJAX + "metrics/get-history-bulk").then().statusCode(200)
                .extract().jsonPath();
        assertEquals(List.of(first, first, first), oddIds.getList("metrics.run_id"));
        invalid(given().queryParam("metric_key", "loss").get(AJAX + "metrics/get-history-bulk").then());
    }

    @Test
    void bulkIntervalAnswersRunByRunInTheOrderAsked() {
        String experimentId = createExperiment();
        String first = createRun(experimentId);
        String second = createRun(experimentId);
        logBatch(first, many(3, i -> metric("loss", 1.0, i, i)), List.of(), List.of()).statusCode(200);
        logBatch(second, many(2, i -> metric("loss", 2.0, i, i)), List.of(), List.of()).statusCode(200);

        JsonPath sampled = given().queryParam("run_ids", second, first).queryParam("metric_key", "loss")
                .get(AJAX + "metrics/get-history-bulk-interval").then().statusCode(200).extract().jsonPath();
        assertEquals(List.of(second, second, first, first, first), sampled.getList("metrics.run_id"));
        TrackingApi.fails(given().queryParam("run_ids", first, "0123456789abcdef0123456789abcdef")
                .queryParam("metric_key", "loss").get(AJAX + "metrics/get-history-bulk-interval").then(),
                404, "RESOURCE_DOES_NOT_EXIST");
    }

    @Test
    void searchDatasetsSummarisesDatasetsWithTheirContext() {
        String experimentId = createExperiment();
        String runId = createRun(experimentId);
        post("runs/log-inputs", Map.of("run_id", runId, "datasets", List.of(
                Map.of("tags", List.of(tag("mlflow.data.context", "training")),
                        "dataset", Map.of("name", "wine", "digest", "d1", "source_type", "local", "source", "/w")),
                Map.of("dataset", Map.of("name", "eval", "digest", "d2", "source_type", "local", "source", "/e")))))
                .statusCode(200);

        JsonPath found = given().contentType(ContentType.JSON).body(Map.of("experiment_ids", List.of(experimentId)))
                .post(AJAX + "experiments/search-datasets").then().statusCode(200).extract().jsonPath();
        assertEquals(List.of("eval", "wine"), found.getList("dataset_summaries.name"));
        assertEquals("training", found.getString("dataset_summaries[1].context"));
        assertEquals(experimentId, found.getString("dataset_summaries[0].experiment_id"));

        invalid(given().contentType(ContentType.JSON).body(Map.of("experiment_ids", List.of()))
                .post(AJAX + "experiments/search-datasets").then());
        invalid(given().contentType(ContentType.JSON).body(Map.of("experiment_ids", many(21, i -> Map.of()).stream()
                        .map(ignored -> experimentId).toList()))
                .post(AJAX + "experiments/search-datasets").then());
    }
}
