package io.quarkflow.events;

import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.Map;

/**
 * Asks the launcher to execute a project run whose tracking run already exists. Redelivery is expected: the
 * launcher derives the Job name from the run id, so a second copy cannot start a second Job.
 *
 * @param command       the entry point's command with the parameters substituted and shell-quoted, as MLflow runs it
 * @param env           environment variables for the run (MLFLOW_RUN_ID, MLFLOW_TRACKING_URI, ...)
 * @param backend       {@code kubernetes} or {@code local}
 * @param backendConfig the backend's settings, e.g. the Kubernetes Job template and image repository
 */
public record ProjectRunRequest(
        @JsonProperty("run_id") String runId,
        @JsonProperty("experiment_id") String experimentId,
        @JsonProperty("source") Source source,
        @JsonProperty("entry_point") String entryPoint,
        @JsonProperty("command") String command,
        @JsonProperty("env") Map<String, String> env,
        @JsonProperty("backend") String backend,
        @JsonProperty("backend_config") Map<String, Object> backendConfig) {

    public static final String TYPE = "io.quarkflow.project-run.requested";

    /**
     * Where the project comes from, as MLflow names it: {@code https://github.com/org/repo#subdir} at a version.
     *
     * @param uri          a Git URI or an uploaded archive's URI, without the {@code #subdir} part
     * @param version      a Git commit, branch or tag; null for the default branch or an archive
     * @param subdirectory the project's directory inside the repository; empty for its root
     */
    public record Source(
            @JsonProperty("uri") String uri,
            @JsonProperty("version") String version,
            @JsonProperty("subdirectory") String subdirectory) {
    }
}
