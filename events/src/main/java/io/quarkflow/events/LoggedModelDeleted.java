package io.quarkflow.events;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * A logged model was deleted (MLflow deletes softly: its files stay until garbage collection). Deleting a deleted
 * model again publishes nothing. Keyed as {@link LoggedModelCreated}: by the source run id, else the model id.
 *
 * @param sourceRunId empty when the model was created outside a run
 * @param deletedTime epoch milliseconds
 */
public record LoggedModelDeleted(
        @JsonProperty("model_id") String modelId,
        @JsonProperty("experiment_id") String experimentId,
        @JsonProperty("source_run_id") String sourceRunId,
        @JsonProperty("deleted_time") long deletedTime) {

    public static final String TYPE = "io.quarkflow.model.deleted";
}
