package io.quarkflow.events;

import com.fasterxml.jackson.annotation.JsonProperty;

/** A run was created (MLflow creates runs RUNNING). Times are epoch milliseconds. */
public record RunCreated(
        @JsonProperty("run_id") String runId,
        @JsonProperty("experiment_id") String experimentId,
        @JsonProperty("run_name") String runName,
        @JsonProperty("user_id") String userId,
        @JsonProperty("status") String status,
        @JsonProperty("start_time") long startTime,
        @JsonProperty("artifact_uri") String artifactUri) {

    public static final String TYPE = "io.quarkflow.run.created";
}
