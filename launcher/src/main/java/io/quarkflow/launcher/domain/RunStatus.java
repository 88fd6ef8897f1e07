package io.quarkflow.launcher.domain;

/** MLflow's run statuses, as tracking-service names them on the wire. */
public enum RunStatus {
    RUNNING, SCHEDULED, FINISHED, FAILED, KILLED;

    /** FINISHED, FAILED and KILLED are final: MLflow's launcher never writes over them, nor does this one. */
    public boolean isTerminal() {
        return this == FINISHED || this == FAILED || this == KILLED;
    }

    /** The status named on the wire; null for a name this launcher does not know (it then changes nothing). */
    public static RunStatus parse(String name) {
        for (RunStatus status : values()) {
            if (status.name().equals(name)) {
                return status;
            }
        }
        return null;
    }
}
