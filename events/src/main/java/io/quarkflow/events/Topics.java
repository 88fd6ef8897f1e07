package io.quarkflow.events;

/**
 * The Kafka topics Quarkflow services exchange events on. Records are keyed by run id (a run's own; for a logged
 * model, its source run's, or the model id when it has none), so one run's events stay in order on one partition;
 * registry events by registered model name.
 */
public final class Topics {

    /**
     * Run lifecycle events: {@link RunCreated}, {@link RunStatusChanged}, {@link RunTerminated}, {@link RunDeleted},
     * {@link RunRestored}; and those of the runs' logged models: {@link LoggedModelCreated},
     * {@link LoggedModelFinalized}, {@link LoggedModelDeleted}.
     */
    public static final String RUN_EVENTS = "quarkflow.run-events";

    /**
     * Model registry events, keyed by registered model name so that one model's events stay in order:
     * {@link RegisteredModelCreated}, {@link RegisteredModelRenamed}, {@link RegisteredModelDeleted},
     * {@link RegisteredModelAliasSet}, {@link RegisteredModelAliasDeleted}, {@link ModelVersionCreated},
     * {@link ModelVersionStageTransitioned}, {@link ModelVersionDeleted}. A topic of their own, so that a deployment
     * workflow reads registry changes without every run's events.
     */
    public static final String REGISTRY_EVENTS = "quarkflow.registry-events";

    /** {@link ProjectRunRequest}s and {@link ProjectRunCancel}s from projects-service to the launcher. */
    public static final String PROJECT_RUNS = "quarkflow.project-runs";

    private Topics() {
    }
}
