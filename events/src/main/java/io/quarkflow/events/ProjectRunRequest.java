package io.quarkflow.events;

import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.List;
import java.util.Map;

/**
 * Asks the launcher to execute a project run whose tracking run already exists (status SCHEDULED). Keyed by the run
 * id, like its {@link ProjectRunCancel}, so the launcher sees a run's cancel after its request. Redelivery is
 * expected: the launcher derives the Job name (or the process's working directory) from the run id, so a second
 * copy cannot start a second execution.
 *
 * @param projectName   the MLproject's {@code name}; empty when it has none
 * @param source        where the code comes from, pinned: a Git source carries the commit projects-service resolved
 * @param entryPoint    the entry point's name, as given by the user
 * @param command       the entry point's command line with the parameters substituted and shell-quoted; run by a
 *                      shell ({@code bash -c}) in the project's directory, locally and in a Job alike
 * @param env           environment variables for the run besides MLflow's three (MLFLOW_RUN_ID,
 *                      MLFLOW_TRACKING_URI, MLFLOW_EXPERIMENT_ID), which the launcher adds itself
 * @param environment   the MLproject's environment
 * @param backend       {@value #KUBERNETES} or {@value #LOCAL}
 * @param backendConfig the backend's settings as the user gave them, e.g. {@code namespace} or
 *                      {@code kube-job-template} (YAML text) for Kubernetes
 * @param user          the authenticated user who submitted it
 */
public record ProjectRunRequest(
        @JsonProperty("run_id") String runId,
        @JsonProperty("experiment_id") String experimentId,
        @JsonProperty("project_name") String projectName,
        @JsonProperty("source") Source source,
        @JsonProperty("entry_point") String entryPoint,
        @JsonProperty("command") String command,
        @JsonProperty("env") Map<String, String> env,
        @JsonProperty("environment") Environment environment,
        @JsonProperty("backend") String backend,
        @JsonProperty("backend_config") Map<String, Object> backendConfig,
        @JsonProperty("user") String user) {

    public static final String TYPE = "io.quarkflow.project-run.requested";
    public static final String KUBERNETES = "kubernetes";
    public static final String LOCAL = "local";

    /**
     * Where the project comes from.
     *
     * @param kind         {@code git}, {@code archive} (a .zip or .tar.gz read through the artifact proxy) or
     *                     {@code local} (a directory on the launcher's machine; local backend only)
     * @param uri          the Git URI, the archive's URI ({@code mlflow-artifacts:/...}) or the directory's absolute
     *                     path, without the {@code #subdir} part
     * @param version      for Git, the commit to check out (projects-service resolved the user's branch or tag);
     *                     null otherwise
     * @param subdirectory the project's directory inside the repository or archive; empty for its root
     */
    public record Source(
            @JsonProperty("kind") String kind,
            @JsonProperty("uri") String uri,
            @JsonProperty("version") String version,
            @JsonProperty("subdirectory") String subdirectory) {
    }

    /**
     * The MLproject's environment.
     *
     * @param type        MLflow's {@code mlflow.project.env} tag value: {@code docker}, {@code virtualenv},
     *                    {@code conda} or {@code local}
     * @param image       docker only: the image to run
     * @param volumes     docker only: {@code /host:/container[:mode]} as in the MLproject
     * @param variables   docker only: variables to set in the container; a null value means "copy it from the
     *                    launcher's own environment", MLflow's bare-name form
     * @param file        virtualenv and conda: the environment file, relative to the project directory
     */
    public record Environment(
            @JsonProperty("type") String type,
            @JsonProperty("image") String image,
            @JsonProperty("volumes") List<String> volumes,
            @JsonProperty("variables") Map<String, String> variables,
            @JsonProperty("file") String file) {
    }
}
