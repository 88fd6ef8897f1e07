package io.quarkflow.events;

/**
 * The Kafka topics Quarkflow services exchange events on. Records are keyed by run id (a run's own; for a logged
 * model, its source run's, or the model id when it has none), so one run's events stay in order on one partition.
 */
public final class Topics {

    /**
     * Run lifecycle events: {@link RunCreated}, {@link RunStatusChanged}, {@link RunTerminated}, {@link RunDeleted},
     * {@link RunRestored}; and those of the runs' logged models: {@link LoggedModelCreated},
     * {@link LoggedModelFinalized}, {@link LoggedModelDeleted}.
     */
    public static final String RUN_EVENTS = "quarkflow.run-events";

    /** {@link ProjectRunRequest}s and {@link ProjectRunCancel}s from projects-service to the launcher. */
    public static final String PROJECT_RUNS = "quarkflow.project-runs";

    private Topics() {
    }
}
