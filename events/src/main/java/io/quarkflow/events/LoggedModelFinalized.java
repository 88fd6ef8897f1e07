package io.quarkflow.events;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * A logged model's upload ended: its status changed to LOGGED_MODEL_READY (the files are complete and it can be
 * loaded or registered) or LOGGED_MODEL_UPLOAD_FAILED. A finalize that leaves the status as it was, or sets
 * another status, publishes nothing. Keyed as {@link LoggedModelCreated}: by the source run id, else the model id.
 *
 * @param sourceRunId          empty when the model was created outside a run
 * @param oldStatus            MLflow's LoggedModelStatus name before, usually LOGGED_MODEL_PENDING
 * @param status               LOGGED_MODEL_READY or LOGGED_MODEL_UPLOAD_FAILED
 * @param finalizedTimestampMs epoch milliseconds, the model's new last_updated_timestamp_ms
 */
public record LoggedModelFinalized(
        @JsonProperty("model_id") String modelId,
        @JsonProperty("experiment_id") String experimentId,
        @JsonProperty("source_run_id") String sourceRunId,
        @JsonProperty("old_status") String oldStatus,
        @JsonProperty("status") String status,
        @JsonProperty("finalized_timestamp_ms") long finalizedTimestampMs) {

    public static final String TYPE = "io.quarkflow.model.finalized";
}
