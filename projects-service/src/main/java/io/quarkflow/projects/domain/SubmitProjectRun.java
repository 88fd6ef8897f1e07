package io.quarkflow.projects.domain;

import java.util.Map;

/**
 * A submission as the user makes it; MLflow's {@code mlflow run} options by their REST names.
 *
 * @param uri           a Git URI with an optional {@code #subdirectory}, or (local backend) a directory
 * @param version       a branch, tag or commit; null for the default branch
 * @param entryPoint    null for {@code main}
 * @param backend       {@code kubernetes} or {@code local}; null for the server's default
 * @param backendConfig the backend's settings; null for none
 */
public record SubmitProjectRun(
        String uri,
        String version,
        String entryPoint,
        Map<String, String> parameters,
        String experimentId,
        String experimentName,
        String runName,
        String backend,
        Map<String, Object> backendConfig) {
}
