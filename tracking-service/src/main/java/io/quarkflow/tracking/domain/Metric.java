package io.quarkflow.tracking.domain;

/** MLflow's Metric message; run_id is only filled where MLflow fills it (bulk history). */
public record Metric(String key, Double value, Long timestamp, Long step, String runId) {

    public Metric(String key, Double value, Long timestamp, Long step) {
        this(key, value, timestamp, step, null);
    }
}
