package io.quarkflow.tracking.api;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static io.quarkflow.tracking.api.TrackingApi.createExperiment;
import static io.quarkflow.tracking.api.TrackingApi.get;
import static io.quarkflow.tracking.api.TrackingApi.getModel;
import static io.quarkflow.tracking.api.TrackingApi.getRun;
import static io.quarkflow.tracking.api.TrackingApi.json;
import static io.quarkflow.tracking.api.TrackingApi.logBatch;
import static io.quarkflow.tracking.api.TrackingApi.metric;
import static io.quarkflow.tracking.api.TrackingApi.param;
import static io.quarkflow.tracking.api.TrackingApi.patch;
import static io.quarkflow.tracking.api.TrackingApi.post;
import static io.quarkflow.tracking.api.TrackingApi.tag;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * The requests of MLflow 3.3's Python client for {@code mlflow.sklearn.log_model(model, name="model")} in a run, in
 * its order (mlflow/models/model.py Model.log), then what loading by {@code models:/<model_id>} and by
 * {@code runs:/<run_id>/model}, a later log_metric, and registering the model ask of the tracking server. The
 * artifact uploads in between go to artifact-service.
 */
@QuarkusTest
class LogModelSequenceTest {

    @Test
    void logModelLoadItAndLogMoreMetrics() {
        String experimentId = createExperiment();
        String runId = post("runs/create", Map.of("experiment_id", experimentId, "run_name", "train",
                "tags", List.of(tag("mlflow.user", "ada")))).statusCode(200).extract().path("run.info.run_id");
        logBatch(runId, List.of(metric("rmse", 0.5, 1000, 0), metric("rmse", 0.4, 2000, 1), metric("r2", 0.9, 1000, 0)),
                List.of(param("alpha", "0.5")), List.of()).statusCode(200);

        // 1. The run's params are copied into the model's.
        JsonPath run = getRun(runId);
        // 2. create
        JsonPath created = json(post("logged-models", Map.of("experiment_id", experimentId, "name", "model",
                "source_run_id", runId, "params", run.getList("run.data.params"),
                "tags", List.of(tag("mlflow.user", "ada"), tag("mlflow.source.name", "train.py"),
                        tag("mlflow.source.type", "LOCAL")))));
        String modelId = created.getString("model.info.model_id");
        assertEquals("LOGGED_MODEL_PENDING", created.getString("model.info.status"));
        // 3. The run's output at step 0.
        post("runs/outputs", Map.of("run_id", runId, "models", List.of(Map.of("model_id", modelId, "step", 0))))
                .statusCode(200);
        // 4. The run again, then each metric's history; 5. the step-0 points without a model id, re-sent with it.
        List<Map<String, Object>> resend = new ArrayList<>();
        for (Object key : getRun(runId).getList("run.data.metrics.key")) {
            JsonPath history = json(get("metrics/get-history", "run_uuid", runId, "run_id", runId, "metric_key", key,
                    "max_results", 25000));
            for (Map<String, Object> point : history.<Map<String, Object>>getList("metrics")) {
                if (((Number) point.get("step")).longValue() == 0 && point.get("model_id") == null) {
                    Map<String, Object> again = new LinkedHashMap<>(point);
                    again.put("model_id", modelId);
                    again.put("run_id", runId);
                    resend.add(again);
                }
            }
        }
        assertEquals(2, resend.size());
        post("runs/log-batch", Map.of("run_id", runId, "metrics", resend)).statusCode(200);
        // 7. Where to upload: the model's artifact location.
        String artifactUri = getModel(modelId).getString("model.info.artifact_uri");
        assertEquals("mlflow-artifacts:/" + experimentId + "/models/" + modelId + "/artifacts", artifactUri);
        // 8. finalize
        patch("logged-models/" + modelId, Map.of("model_id", modelId, "status", "LOGGED_MODEL_READY")).statusCode(200)
                .body("model.info.status", equalTo("LOGGED_MODEL_READY"));

        // Loading models:/<model_id>: the model and its artifact location.
        JsonPath loaded = getModel(modelId);
        assertEquals("LOGGED_MODEL_READY", loaded.getString("model.info.status"));
        assertEquals(artifactUri, loaded.getString("model.info.artifact_uri"));
        assertEquals(List.of(param("alpha", "0.5")), loaded.getList("model.data.params"));
        assertEquals(List.of("r2", "rmse"), loaded.getList("model.data.metrics.key"));
        // The run's history did not grow.
        assertEquals(2, json(get("metrics/get-history", "run_id", runId, "metric_key", "rmse")).getList("metrics").size());

        // Loading runs:/<run_id>/model: the run's experiment, then the models of that name from this run.
        JsonPath byName = json(post("logged-models/search", Map.of("experiment_ids", List.of(experimentId),
                "filter", "name = 'model'")));
        assertEquals(List.of(modelId), byName.getList("models.info.model_id"));
        assertEquals(runId, byName.getString("models[0].info.source_run_id"));

        // A later log_metric at the model's step finds the model among the run's outputs and sends its id.
        assertEquals(List.of(Map.of("model_id", modelId, "step", 0)), getRun(runId).getList("run.outputs.model_outputs"));
        post("runs/log-metric", Map.of("run_id", runId, "key", "test_rmse", "value", 0.45, "timestamp", 3000, "step", 0,
                "model_id", modelId)).statusCode(200);
        assertEquals(3, getModel(modelId).getList("model.data.metrics").size());

        // Registering it: the model, then its mlflow.modelVersions tag.
        getModel(modelId);
        patch("logged-models/" + modelId + "/tags", Map.of("tags", List.of(tag("mlflow.modelVersions",
                "[{\"name\": \"N\", \"version\": \"1\"}]")))).statusCode(200);
        post("runs/update", Map.of("run_id", runId, "status", "FINISHED", "end_time", 4000)).statusCode(200);
        assertEquals("[{\"name\": \"N\", \"version\": \"1\"}]", getModel(modelId).getString(
                "model.info.tags.find { it.key == 'mlflow.modelVersions' }.value"));
        assertNull(getRun(runId).get("run.inputs.model_inputs"));
    }
}
