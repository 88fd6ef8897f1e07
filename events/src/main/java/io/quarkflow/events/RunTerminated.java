package io.quarkflow.events;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * A run reached a terminal status (FINISHED, FAILED or KILLED): what a workflow engine waits for.
 *
 * @param endTime epoch milliseconds as the client reported it; null when it gave none
 */
public record RunTerminated(
        @JsonProperty("run_id") String runId,
        @JsonProperty("experiment_id") String experimentId,
        @JsonProperty("status") String status,
        @JsonProperty("end_time") Long endTime) {

    public static final String TYPE = "io.quarkflow.run.terminated";
}
