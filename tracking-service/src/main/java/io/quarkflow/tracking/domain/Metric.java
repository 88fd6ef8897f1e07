package io.quarkflow.tracking.domain;

/**
 * MLflow's Metric message. dataset_name, dataset_digest and model_id (MLflow 3) say what the value was measured on
 * and for which logged model; run_id is only filled where MLflow fills it (bulk history, a model's metrics).
 */
public record Metric(String key, Double value, Long timestamp, Long step, String datasetName, String datasetDigest,
                     String modelId, String runId) {

    public Metric(String key, Double value, Long timestamp, Long step) {
        this(key, value, timestamp, step, null, null, null, null);
    }
}
