package io.quarkflow.events;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * A run's status changed. Statuses are MLflow's names: RUNNING, SCHEDULED, FINISHED, FAILED, KILLED.
 * A change to FINISHED, FAILED or KILLED is followed by a {@link RunTerminated} event.
 */
public record RunStatusChanged(
        @JsonProperty("run_id") String runId,
        @JsonProperty("experiment_id") String experimentId,
        @JsonProperty("old_status") String oldStatus,
        @JsonProperty("new_status") String newStatus) {

    public static final String TYPE = "io.quarkflow.run.status-changed";
}
