package io.quarkflow.tracking.api;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static io.quarkflow.tracking.api.TrackingApi.createExperiment;
import static io.quarkflow.tracking.api.TrackingApi.createModel;
import static io.quarkflow.tracking.api.TrackingApi.createRun;
import static io.quarkflow.tracking.api.TrackingApi.fails;
import static io.quarkflow.tracking.api.TrackingApi.getModel;
import static io.quarkflow.tracking.api.TrackingApi.getRun;
import static io.quarkflow.tracking.api.TrackingApi.history;
import static io.quarkflow.tracking.api.TrackingApi.invalid;
import static io.quarkflow.tracking.api.TrackingApi.json;
import static io.quarkflow.tracking.api.TrackingApi.logBatch;
import static io.quarkflow.tracking.api.TrackingApi.metric;
import static io.quarkflow.tracking.api.TrackingApi.param;
import static io.quarkflow.tracking.api.TrackingApi.post;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * MLflow 3's links between runs and logged models: runs/outputs and the models of runs/log-inputs (returned by
 * runs/get and runs/search), and metrics logged with a model_id (returned by metric history and as the model's
 * metrics). Where a test says "MLflow's server", the answer was taken from MLflow 3.3's own, sent the same request.
 */
@QuarkusTest
class RunModelOutputsTest {

    private static final String MISSING = "Missing value for required parameter '%s'. "
            + "See the API docs for more information about request parameters.";

    @Test
    void outputsComeBackFromRunsGetAndRunsSearch() {
        String experimentId = createExperiment();
        String runId = createRun(experimentId);
        String modelId = createModel(experimentId, "source_run_id", runId);
        String later = createModel(experimentId, "source_run_id", runId);

        post("runs/outputs", Map.of("run_id", runId, "models", List.of(Map.of("model_id", modelId, "step", 0),
                Map.of("model_id", later, "step", 5)))).statusCode(200).body(equalTo("{}"));
        // MLflow's server answers a repeat with a 400 (its unique index); a retried request changes nothing here.
        post("runs/outputs", Map.of("run_id", runId, "models", List.of(Map.of("model_id", modelId, "step", 0))))
                .statusCode(200);
        // As in MLflow, a model id is stored as given and a missing step is 0.
        post("runs/outputs", Map.of("run_id", runId, "models", List.of(Map.of("model_id", "m-elsewhere")))).statusCode(200);

        List<Map<String, Object>> expected = sorted(List.of(output(modelId, 0), output(later, 5), output("m-elsewhere", 0)));
        assertEquals(expected, getRun(runId).getList("run.outputs.model_outputs"));
        JsonPath searched = json(post("runs/search", Map.of("experiment_ids", List.of(experimentId))));
        assertEquals(expected, searched.getList("runs[0].outputs.model_outputs"));

        // MLflow's server answers "outputs": {} for a run without outputs; the client reads empty lists.
        String plain = createRun(experimentId);
        assertEquals(Map.of(), getRun(plain).getMap("run.outputs"));
    }

    @Test
    void outputErrorsAsMlflowsServer() {
        String runId = createRun();
        invalid(post("runs/outputs", Map.of("models", List.of(Map.of("model_id", "m-1", "step", 0)))))
                .body("message", equalTo(String.format(MISSING, "run_id")));
        invalid(post("runs/outputs", Map.of("run_id", runId))).body("message", equalTo(String.format(MISSING, "models")));
        fails(post("runs/outputs", Map.of("run_id", "0".repeat(32), "models", List.of(Map.of("model_id", "m-1")))),
                404, "RESOURCE_DOES_NOT_EXIST").body("message", equalTo("Run with id=" + "0".repeat(32) + " not found"));
        // MLflow's server stores an output without a model id; it is refused here.
        invalid(post("runs/outputs", Map.of("run_id", runId, "models", List.of(Map.of("step", 1)))))
                .body("message", equalTo(String.format(MISSING, "models[0].model_id")));
        post("runs/delete", Map.of("run_id", runId)).statusCode(200);
        invalid(post("runs/outputs", Map.of("run_id", runId, "models", List.of(Map.of("model_id", "m-1")))))
                .body("message", equalTo("The run " + runId + " must be in the 'active' state. Current state is deleted."));
    }

    @Test
    void modelInputsComeBackWithTheDatasetInputs() {
        String experimentId = createExperiment();
        String runId = createRun(experimentId);
        String modelId = createModel(experimentId);
        post("runs/log-inputs", Map.of("run_id", runId, "models", List.of(Map.of("model_id", modelId)))).statusCode(200);
        post("runs/log-inputs", Map.of("run_id", runId, "models", List.of(Map.of("model_id", modelId)))).statusCode(200);
        assertEquals(List.of(Map.of("model_id", modelId)), getRun(runId).getList("run.inputs.model_inputs"));
        assertNull(getRun(runId).get("run.inputs.dataset_inputs"));
        invalid(post("runs/log-inputs", Map.of("run_id", runId, "models", List.of(Map.of()))));
    }

    @Test
    void metricsWithAModelIdAreTheModelsMetricsToo() {
        String experimentId = createExperiment();
        String runId = createRun(experimentId);
        String modelId = createModel(experimentId, "source_run_id", runId);
        Map<String, Object> loss = metric("loss", 0.25, 110, 1);
        loss.put("run_id", runId);
        loss.put("model_id", modelId);
        loss.put("dataset_name", "train");
        loss.put("dataset_digest", "abc");
        post("runs/log-metric", loss).statusCode(200);
        Map<String, Object> acc = withModel(metric("acc", "NaN", 120, 2), modelId);
        logBatch(runId, List.of(acc), List.of(), List.of()).statusCode(200);

        // MLflow's server keeps none of these fields in a run's history; here history says what each point was.
        JsonPath lossHistory = history(runId, "loss");
        assertEquals(modelId, lossHistory.getString("metrics[0].model_id"));
        assertEquals("train", lossHistory.getString("metrics[0].dataset_name"));
        assertEquals("abc", lossHistory.getString("metrics[0].dataset_digest"));
        assertNull(lossHistory.get("metrics[0].run_id"));

        JsonPath model = getModel(modelId);
        Map<String, Object> expectedLoss = new LinkedHashMap<>();
        expectedLoss.put("key", "loss");
        expectedLoss.put("value", 0.25);
        expectedLoss.put("timestamp", 110);
        expectedLoss.put("step", 1);
        expectedLoss.put("dataset_name", "train");
        expectedLoss.put("dataset_digest", "abc");
        expectedLoss.put("model_id", modelId);
        expectedLoss.put("run_id", runId);
        assertEquals(2, model.getList("model.data.metrics").size());
        assertEquals("NaN", model.getString("model.data.metrics[0].value"), "NaN is kept (MLflow's server stores 0)");
        assertEquals(expectedLoss, model.getMap("model.data.metrics[1]"));
        assertEquals(List.of(Map.of("key", "loss", "value", 0.25, "timestamp", 110, "step", 1)),
                getRun(runId).getList("run.data.metrics").stream().filter(m -> ((Map<?, ?>) m).get("key").equals("loss"))
                        .toList(), "run metrics carry no model fields, as in MLflow");
    }

    /**
     * Model.log re-sends the run's metrics at the model's step with the new model's id (log_model's step 5): the
     * run's history keeps each point once, in order, and the model gets them as its metrics.
     */
    @Test
    void aPointSentAgainWithAModelIdIsTheSamePoint() {
        String experimentId = createExperiment();
        String runId = createRun(experimentId);
        logBatch(runId, List.of(metric("rmse", 0.5, 100, 0), metric("rmse", 0.4, 200, 0), metric("rmse", 0.3, 50, 1)),
                List.of(), List.of()).statusCode(200);
        String modelId = createModel(experimentId, "source_run_id", runId);
        for (int attempt = 0; attempt < 2; attempt++) {
            logBatch(runId, List.of(withModel(metric("rmse", 0.5, 100, 0), modelId),
                    withModel(metric("rmse", 0.4, 200, 0), modelId)), List.of(), List.of()).statusCode(200);
        }

        JsonPath rmse = history(runId, "rmse");
        assertEquals(List.of(0.3, 0.5, 0.4), rmse.getList("metrics.value", Double.class),
                "one point each, in MLflow's history order (timestamp, step, value)");
        assertEquals(List.of(50, 100, 200), rmse.getList("metrics.timestamp", Integer.class));
        assertNull(rmse.get("metrics[1].model_id"), "a point keeps what it was first logged with");
        List<Map<String, Object>> modelMetrics = getModel(modelId).getList("model.data.metrics");
        assertEquals(2, modelMetrics.size());
        assertEquals(List.of(100, 200), modelMetrics.stream().map(m -> m.get("timestamp")).toList());
        assertEquals(0.3, getRun(runId).getDouble("run.data.metrics[0].value"), 1e-9, "latest is unchanged");
    }

    @Test
    void aMetricForAnUnknownModelWritesNothing() {
        String runId = createRun();
        String unknown = "m-" + "f".repeat(32);
        // MLflow's server writes the run's point, then fails on its foreign key with a 400 BAD_REQUEST.
        fails(logBatch(runId, List.of(metric("plain", 1.0, 1, 0), withModel(metric("loss", 1.0, 1, 0), unknown)),
                List.of(param("p", "1")), List.of()), 404, "RESOURCE_DOES_NOT_EXIST")
                .body("message", equalTo("Logged model with ID '" + unknown + "' not found."));
        Map<String, Object> single = withModel(metric("loss", 1.0, 1, 0), unknown);
        single.put("run_id", runId);
        fails(post("runs/log-metric", single), 404, "RESOURCE_DOES_NOT_EXIST");
        JsonPath run = getRun(runId);
        assertNull(run.get("run.data.metrics"));
        assertNull(run.get("run.data.params"));
    }

    @Test
    void aDeletedModelStillTakesMetricsAsInMlflow() {
        String experimentId = createExperiment();
        String runId = createRun(experimentId);
        String modelId = createModel(experimentId);
        TrackingApi.delete("logged-models/" + modelId, Map.of("model_id", modelId)).statusCode(200);
        logBatch(runId, List.of(withModel(metric("loss", 1.0, 1, 0), modelId)), List.of(), List.of()).statusCode(200);
        assertTrue(history(runId, "loss").getList("metrics").size() == 1);
    }

    private static Map<String, Object> withModel(Map<String, Object> metric, String modelId) {
        metric.put("model_id", modelId);
        return metric;
    }

    private static Map<String, Object> output(String modelId, int step) {
        return Map.of("model_id", modelId, "step", step);
    }

    private static List<Map<String, Object>> sorted(List<Map<String, Object>> outputs) {
        return outputs.stream().sorted((a, b) -> ((String) a.get("model_id")).compareTo((String) b.get("model_id")))
                .toList();
    }
}
