package io.quarkflow.tracking.domain;

import io.quarkflow.mlflow.errors.MlflowException;
import java.util.Locale;

/** MLflow's RunStatus enum; the protobuf numbers are accepted on input as well as the names. */
public enum RunStatus {
    RUNNING(1),
    SCHEDULED(2),
    FINISHED(3),
    FAILED(4),
    KILLED(5);

    private final int number;

    RunStatus(int number) {
        this.number = number;
    }

    public boolean isTerminal() {
        return this == FINISHED || this == FAILED || this == KILLED;
    }

    public static RunStatus parse(String value) {
        for (RunStatus status : values()) {
            if (status.name().equals(value.toUpperCase(Locale.ROOT)) || String.valueOf(status.number).equals(value)) {
                return status;
            }
        }
        throw MlflowException.invalidParameter("Invalid value '" + value + "' for parameter 'status'. "
                + "Allowed values: RUNNING, SCHEDULED, FINISHED, FAILED, KILLED.");
    }
}
