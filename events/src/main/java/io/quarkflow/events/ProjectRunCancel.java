package io.quarkflow.events;

import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.Map;

/**
 * Asks the launcher to stop a project run: delete its Job (background propagation, so no pod stays) or kill its
 * process tree, then mark the run KILLED. Keyed by the run id, after the run's {@link ProjectRunRequest}; a cancel
 * of a run that already ended, or was never started, changes nothing.
 *
 * @param backend       as in the request
 * @param backendConfig as in the request (the Job's namespace comes from it)
 */
public record ProjectRunCancel(
        @JsonProperty("run_id") String runId,
        @JsonProperty("backend") String backend,
        @JsonProperty("backend_config") Map<String, Object> backendConfig) {

    public static final String TYPE = "io.quarkflow.project-run.cancel-requested";
}
