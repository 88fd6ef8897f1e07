package io.quarkflow.events;

import com.fasterxml.jackson.annotation.JsonProperty;

/** A deleted run was restored, on its own or with its experiment. */
public record RunRestored(
        @JsonProperty("run_id") String runId,
        @JsonProperty("experiment_id") String experimentId) {

    public static final String TYPE = "io.quarkflow.run.restored";
}
