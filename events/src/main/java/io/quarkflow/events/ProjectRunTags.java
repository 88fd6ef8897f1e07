package io.quarkflow.events;

/**
 * The run tags of project runs that projects-service and the launcher write and read: the run in tracking-service
 * is where each learns what the other did. (MLflow's own {@code mlflow.project.backend} names the backend the
 * client asked for, which is {@code quarkflow} when a submission comes through MLflow's plugin, so the backend
 * that executes the run has a tag of its own.)
 */
public final class ProjectRunTags {

    /** {@value ProjectRunRequest#KUBERNETES} or {@value ProjectRunRequest#LOCAL}; set by projects-service. */
    public static final String BACKEND = "quarkflow.project.backend";
    /** {@code <namespace>/<name>} of the run's Job; set by the launcher once it created it. */
    public static final String JOB = "quarkflow.project.job";
    /** The local process's id; set by the launcher once it started it. */
    public static final String PROCESS = "quarkflow.project.process";
    /** Why the run failed, as the launcher saw it. */
    public static final String FAILURE = "quarkflow.project.failure";
    /** The workflow step a run is (its workflow is the run's {@code mlflow.parentRunId}); set by projects-service. */
    public static final String WORKFLOW_STEP = "quarkflow.workflow.step";

    private ProjectRunTags() {
    }
}
