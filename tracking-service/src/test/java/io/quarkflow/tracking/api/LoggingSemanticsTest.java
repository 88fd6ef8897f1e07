package io.quarkflow.tracking.api;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;
import java.util.Map;

import static io.quarkflow.tracking.api.TrackingApi.createRun;
import static io.quarkflow.tracking.api.TrackingApi.getRun;
import static io.quarkflow.tracking.api.TrackingApi.history;
import static io.quarkflow.tracking.api.TrackingApi.invalid;
import static io.quarkflow.tracking.api.TrackingApi.logBatch;
import static io.quarkflow.tracking.api.TrackingApi.many;
import static io.quarkflow.tracking.api.TrackingApi.metric;
import static io.quarkflow.tracking.api.TrackingApi.param;
import static io.quarkflow.tracking.api.TrackingApi.post;
import static io.quarkflow.tracking.api.TrackingApi.tag;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** runs/log-batch, log-metric, log-parameter and set-tag: MLflow's limits, key rules and storage semantics. */
@QuarkusTest
class LoggingSemanticsTest {

    private static final double CLAMPED = 1.7976931348623157E308;

    @Test
    void batchLimitsRefuseTheWholeBatch() {
        String runId = createRun();
        invalid(logBatch(runId, many(1001, i -> metric("m", i, 1, i)), List.of(), List.of()));
        invalid(logBatch(runId, List.of(), many(101, i -> param("p" + i, "v")), List.of()));
        invalid(logBatch(runId, List.of(), List.of(), many(101, i -> tag("t" + i, "v"))));
        invalid(logBatch(runId, many(901, i -> metric("m", i, 1, i)), many(50, i -> param("p" + i, "v")),
                many(50, i -> tag("t" + i, "v"))));

        JsonPath run = getRun(runId);
        assertNull(run.get("run.data.metrics"));
        assertNull(run.get("run.data.params"));
        assertEquals(List.of("mlflow.runName"), run.getList("run.data.tags.key"));
    }

    @Test
    void batchesAtTheLimitsAreAccepted() {
        String runId = createRun();
        logBatch(runId, many(1000, i -> metric("m", i, 1, i)), List.of(), List.of()).statusCode(200);
        logBatch(runId, many(800, i -> metric("n", i, 1, i)), many(100, i -> param("p" + i, "v")),
                many(100, i -> tag("t" + i, "v"))).statusCode(200);

        JsonPath run = getRun(runId);
        assertEquals(100, run.getList("run.data.params").size());
        assertEquals(101, run.getList("run.data.tags").size());
        assertEquals(1000, history(runId, "m").getList("metrics").size());
    }

    @ParameterizedTest
    @ValueSource(strings = {"a*b", "..", "../up", "/lead", "a//b", "a/./b", "trailing/", ".", "a\nb", ""})
    void badKeysAreRefusedEverywhere(String key) {
        String runId = createRun();
        invalid(post("runs/log-metric", Map.of("run_id", runId, "key", key, "value", 1.0, "timestamp", 1)));
        invalid(post("runs/log-parameter", Map.of("run_id", runId, "key", key, "value", "v")));
        invalid(post("runs/set-tag", Map.of("run_id", runId, "key", key, "value", "v")));
        invalid(logBatch(runId, List.of(metric("ok", 1.0, 1, 0)), List.of(param(key, "v")), List.of()));
        assertNull(getRun(runId).get("run.data.metrics"));
    }

    @Test
    void keyLengthIsLimitedTo250() {
        String runId = createRun();
        invalid(post("runs/log-parameter", Map.of("run_id", runId, "key", "k".repeat(251), "value", "v")));
        post("runs/log-parameter", Map.of("run_id", runId, "key", "k".repeat(250), "value", "v")).statusCode(200);
        post("runs/log-parameter", Map.of("run_id", runId, "key", "nested/path-with spaces:and.dots_1", "value", "v"))
                .statusCode(200);
        assertEquals(2, getRun(runId).getList("run.data.params").size());
    }

    @Test
    void longParamAndTagValuesAreTruncated() {
        String runId = createRun();
        post("runs/log-parameter", Map.of("run_id", runId, "key", "long", "value", "p".repeat(6001))).statusCode(200);
        post("runs/set-tag", Map.of("run_id", runId, "key", "long", "value", "t".repeat(8001))).statusCode(200);
        logBatch(runId, List.of(), List.of(param("batch", "b".repeat(7000))), List.of()).statusCode(200);

        JsonPath run = getRun(runId);
        assertEquals("p".repeat(6000), run.getString("run.data.params.find { it.key == 'long' }.value"));
        assertEquals("b".repeat(6000), run.getString("run.data.params.find { it.key == 'batch' }.value"));
        assertEquals("t".repeat(8000), run.getString("run.data.tags.find { it.key == 'long' }.value"));
        post("runs/log-parameter", Map.of("run_id", runId, "key", "long", "value", "p".repeat(6500))).statusCode(200);
    }

    @Test
    void identicalMetricPointIsKeptOnce() {
        String runId = createRun();
        Map<String, Object> point = Map.of("run_id", runId, "key", "loss", "value", 0.5, "timestamp", 10, "step", 1);
        post("runs/log-metric", point).statusCode(200).body(equalTo("{}"));
        post("runs/log-metric", point).statusCode(200).body(equalTo("{}"));
        logBatch(runId, List.of(metric("loss", 0.5, 10, 1), metric("loss", 0.5, 10, 1)), List.of(), List.of())
                .statusCode(200);

        assertEquals(1, history(runId, "loss").getList("metrics").size());
    }

    @Test
    void paramsCannotChange() {
        String runId = createRun();
        post("runs/log-parameter", Map.of("run_id", runId, "key", "lr", "value", "0.1")).statusCode(200);
        post("runs/log-parameter", Map.of("run_id", runId, "key", "lr", "value", "0.1")).statusCode(200);
        logBatch(runId, List.of(), List.of(param("lr", "0.1")), List.of()).statusCode(200);

        invalid(post("runs/log-parameter", Map.of("run_id", runId, "key", "lr", "value", "0.2")));
        invalid(logBatch(runId, List.of(), List.of(param("lr", "0.3")), List.of()));
        assertEquals("0.1", getRun(runId).getString("run.data.params.find { it.key == 'lr' }.value"));
    }

    @Test
    void duplicateParamKeysInOneBatchAreRefused() {
        String runId = createRun();
        invalid(logBatch(runId, List.of(), List.of(param("a", "1"), param("a", "1")), List.of()));
        invalid(logBatch(runId, List.of(), List.of(param("a", "1"), param("a", "2")), List.of()));
        assertNull(getRun(runId).get("run.data.params"));
    }

    @Test
    void batchIsAllOrNothing() {
        String runId = createRun();
        post("runs/log-parameter", Map.of("run_id", runId, "key", "fixed", "value", "old")).statusCode(200);

        invalid(logBatch(runId, List.of(metric("acc", 0.9, 5, 0)), List.of(param("added", "x"), param("fixed", "new")),
                List.of(tag("note", "x"))));

        JsonPath run = getRun(runId);
        assertNull(run.get("run.data.metrics"));
        assertEquals(List.of("fixed"), run.getList("run.data.params.key"));
        assertEquals("old", run.getString("run.data.params[0].value"));
        assertNull(run.get("run.data.tags.find { it.key == 'note' }"));
        assertNull(history(runId, "acc").get("metrics"));
    }

    @Test
    void nonFiniteValuesAreStoredAsMlflowDoes() {
        String runId = createRun();
        logBatch(runId, List.of(metric("nan", "NaN", 1, 0), metric("pos", "Infinity", 1, 0),
                metric("neg", "-Infinity", 1, 0)), List.of(), List.of()).statusCode(200);
        post("runs/log-metric", Map.of("run_id", runId, "key", "single", "value", "NaN", "timestamp", 1)).statusCode(200);

        JsonPath run = getRun(runId);
        assertEquals("NaN", run.getString("run.data.metrics.find { it.key == 'nan' }.value"));
        assertEquals("NaN", run.getString("run.data.metrics.find { it.key == 'single' }.value"));
        assertEquals(CLAMPED, run.getDouble("run.data.metrics.find { it.key == 'pos' }.value"));
        assertEquals(-CLAMPED, run.getDouble("run.data.metrics.find { it.key == 'neg' }.value"));
        assertEquals("NaN", history(runId, "nan").getString("metrics[0].value"));
        assertEquals(CLAMPED, history(runId, "pos").getDouble("metrics[0].value"));
    }

    @Test
    void bareNonFiniteJsonTokensAreAccepted() {
        String runId = createRun();
        post("runs/log-metric", "{\"run_id\": \"" + runId + "\", \"key\": \"m\", \"value\": NaN, \"timestamp\": 1}")
                .statusCode(200);
        post("runs/log-metric", "{\"run_id\": \"" + runId + "\", \"key\": \"i\", \"value\": -Infinity, \"timestamp\": 1}")
                .statusCode(200);
        assertEquals("NaN", getRun(runId).getString("run.data.metrics.find { it.key == 'm' }.value"));
        assertEquals(-CLAMPED, getRun(runId).getDouble("run.data.metrics.find { it.key == 'i' }.value"));
    }

    @Test
    void latestValueIsTheHighestStepAcrossRequests() {
        String runId = createRun();
        post("runs/log-metric", Map.of("run_id", runId, "key", "m", "value", 5.0, "timestamp", 100, "step", 5)).statusCode(200);
        post("runs/log-metric", Map.of("run_id", runId, "key", "m", "value", 3.0, "timestamp", 200, "step", 3)).statusCode(200);
        assertLatest(runId, "m", 5.0, 100, 5);
    }

    @Test
    void latestValueOnEqualStepIsTheLaterTimestamp() {
        String runId = createRun();
        post("runs/log-metric", Map.of("run_id", runId, "key", "m", "value", 1.0, "timestamp", 200, "step", 2)).statusCode(200);
        post("runs/log-metric", Map.of("run_id", runId, "key", "m", "value", 9.0, "timestamp", 100, "step", 2)).statusCode(200);
        assertLatest(runId, "m", 1.0, 200, 2);
    }

    @Test
    void latestValueOnEqualStepAndTimestampIsTheLargerValue() {
        String runId = createRun();
        post("runs/log-metric", Map.of("run_id", runId, "key", "m", "value", 7.0, "timestamp", 100, "step", 2)).statusCode(200);
        post("runs/log-metric", Map.of("run_id", runId, "key", "m", "value", 4.0, "timestamp", 100, "step", 2)).statusCode(200);
        assertLatest(runId, "m", 7.0, 100, 2);
    }

    @Test
    void latestValueWithinOneBatchFollowsTheSameOrder() {
        String runId = createRun();
        logBatch(runId, List.of(metric("a", 5.0, 1, 5), metric("a", 3.0, 9, 3),
                metric("b", 1.0, 200, 2), metric("b", 9.0, 100, 2),
                metric("c", 4.0, 100, 2), metric("c", 7.0, 100, 2)), List.of(), List.of()).statusCode(200);
        assertLatest(runId, "a", 5.0, 1, 5);
        assertLatest(runId, "b", 1.0, 200, 2);
        assertLatest(runId, "c", 7.0, 100, 2);
    }

    @Test
    void int64FieldsMayArriveAsStrings() {
        String runId = createRun();
        post("runs/log-metric", Map.of("run_id", runId, "key", "m", "value", "2.5", "timestamp", "123", "step", "7"))
                .statusCode(200);
        logBatch(runId, List.of(metric("n", 1.0, "456", "8")), List.of(), List.of()).statusCode(200);
        assertLatest(runId, "m", 2.5, 123, 7);
        assertLatest(runId, "n", 1.0, 456, 8);
    }

    @Test
    void stepDefaultsToZero() {
        String runId = createRun();
        post("runs/log-metric", Map.of("run_id", runId, "key", "m", "value", 1.0, "timestamp", 5)).statusCode(200);
        assertLatest(runId, "m", 1.0, 5, 0);
    }

    @Test
    void invalidMetricFieldsAreRefused() {
        String runId = createRun();
        invalid(post("runs/log-metric", Map.of("run_id", runId, "key", "m", "value", 1.0)));
        invalid(post("runs/log-metric", Map.of("run_id", runId, "key", "m", "value", 1.0, "timestamp", -1)));
        invalid(post("runs/log-metric", Map.of("run_id", runId, "key", "m", "value", true, "timestamp", 1)));
        invalid(post("runs/log-metric", Map.of("run_id", runId, "key", "m", "timestamp", 1)));
        invalid(post("runs/log-metric", Map.of("run_id", runId, "key", "m", "value", "high", "timestamp", 1)));
        invalid(post("runs/log-metric", Map.of("run_id", runId, "key", "m", "value", 1.0, "timestamp", 1.5)));
        invalid(post("runs/log-metric", Map.of("run_id", runId, "value", 1.0, "timestamp", 1)));
        invalid(post("runs/log-metric", Map.of("key", "m", "value", 1.0, "timestamp", 1)));
        invalid(logBatch(runId, List.of(metric("ok", 1.0, 1, 0), metric("m", 1.0, null, 0)), List.of(), List.of()))
                .body("message", containsString("metrics[1].timestamp"));
        assertNull(getRun(runId).get("run.data.metrics"));
    }

    private static void assertLatest(String runId, String key, double value, long timestamp, long step) {
        JsonPath run = getRun(runId);
        String path = "run.data.metrics.findAll { it.key == '" + key + "' }";
        assertEquals(1, run.getList(path).size(), "one latest value per key");
        assertEquals(value, run.getDouble(path + "[0].value"));
        assertEquals(timestamp, run.getLong(path + "[0].timestamp"));
        assertEquals(step, run.getLong(path + "[0].step"));
    }
}
