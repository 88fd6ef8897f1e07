package io.quarkflow.events;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * A version of a registered model was created (model-versions/create, which {@code mlflow.register_model} and
 * {@code log_model(..., registered_model_name=...)} call); its files are readable at once, its stage is None.
 * Keyed by (and the subject is) the registered model's name.
 *
 * @param version           the version number as text, as MLflow's API has it
 * @param source            the source as the client gave it, e.g. {@code runs:/<run_id>/model} or {@code models:/m-…}
 * @param storageLocation   where the files are, what the source resolved to (model-versions/get-download-uri)
 * @param runId             empty when the client gave none and the source names no run
 * @param modelId           the MLflow 3 logged model it registers; empty for an MLflow 2 version
 * @param creationTimestamp epoch milliseconds
 */
public record ModelVersionCreated(
        @JsonProperty("name") String name,
        @JsonProperty("version") String version,
        @JsonProperty("source") String source,
        @JsonProperty("storage_location") String storageLocation,
        @JsonProperty("run_id") String runId,
        @JsonProperty("model_id") String modelId,
        @JsonProperty("creation_timestamp") long creationTimestamp) {

    public static final String TYPE = "io.quarkflow.model-version.created";
}
