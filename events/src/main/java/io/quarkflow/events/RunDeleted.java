package io.quarkflow.events;

import com.fasterxml.jackson.annotation.JsonProperty;

/** A run was deleted, on its own or with its experiment; it can still be restored. */
public record RunDeleted(
        @JsonProperty("run_id") String runId,
        @JsonProperty("experiment_id") String experimentId,
        @JsonProperty("deleted_time") long deletedTime) {

    public static final String TYPE = "io.quarkflow.run.deleted";
}
