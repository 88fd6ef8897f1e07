package io.quarkflow.events;

/** The Kafka topics Quarkflow services exchange events on. Every record's key is the run id. */
public final class Topics {

    /** Run lifecycle events: {@link RunCreated}, {@link RunStatusChanged}, {@link RunTerminated}, {@link RunDeleted}, {@link RunRestored}. */
    public static final String RUN_EVENTS = "quarkflow.run-events";

    /** {@link ProjectRunRequest}s from projects-service to the launcher. */
    public static final String PROJECT_RUNS = "quarkflow.project-runs";

    private Topics() {
    }
}
