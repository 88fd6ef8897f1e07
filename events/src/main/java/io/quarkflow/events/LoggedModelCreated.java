package io.quarkflow.events;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * An MLflow 3 logged model was created (MLflow creates them LOGGED_MODEL_PENDING; its files are uploaded next).
 * The record key is the model's source run id, so that a model's events and its run's events share a partition
 * and a consumer sees them in the order the client made them; a model without a source run is keyed by its model
 * id. The CloudEvents subject is the model id.
 *
 * @param sourceRunId         empty when the model was created outside a run
 * @param modelType           empty when the client gave none
 * @param status              MLflow's LoggedModelStatus name
 * @param artifactLocation    where the model's files go, {@code <experiment location>/models/<model_id>/artifacts}
 * @param creationTimestampMs epoch milliseconds
 */
public record LoggedModelCreated(
        @JsonProperty("model_id") String modelId,
        @JsonProperty("experiment_id") String experimentId,
        @JsonProperty("name") String name,
        @JsonProperty("model_type") String modelType,
        @JsonProperty("source_run_id") String sourceRunId,
        @JsonProperty("status") String status,
        @JsonProperty("artifact_location") String artifactLocation,
        @JsonProperty("creation_timestamp_ms") long creationTimestampMs) {

    public static final String TYPE = "io.quarkflow.model.created";
}
