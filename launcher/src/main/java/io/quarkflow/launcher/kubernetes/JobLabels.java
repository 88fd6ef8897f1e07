package io.quarkflow.launcher.kubernetes;

import io.quarkflow.events.ProjectRunTags;

/**
 * The labels and annotations that link a Job (and its pods) to its run. Selection uses the labels; the run id is
 * read back from the annotation, since a label value may be a shortened form of the id.
 */
public final class JobLabels {

    public static final String MANAGED_BY = "app.kubernetes.io/managed-by";
    public static final String MANAGER = "quarkflow";
    public static final String RUN_ID = "quarkflow.io/run-id";
    public static final String EXPERIMENT_ID = "quarkflow.io/experiment-id";
    /** Set by the Job controller on each pod of a Job. */
    public static final String JOB_NAME = "job-name";

    public static final String PROJECT_NAME_ANNOTATION = "quarkflow.io/project-name";
    public static final String ENTRY_POINT_ANNOTATION = "quarkflow.io/entry-point";
    public static final String SOURCE_ANNOTATION = "quarkflow.io/source";
    /**
     * Set on a Job just before the launcher deletes it (cancel, a pod that cannot start), with the reason; a
     * deletion without it was done by someone else.
     */
    public static final String STOPPED_ANNOTATION = "quarkflow.io/stopped-by-launcher";

    /** The run's tag naming its Job, {@code <namespace>/<name>}. */
    public static final String JOB_TAG = ProjectRunTags.JOB;

    private JobLabels() {
    }
}
