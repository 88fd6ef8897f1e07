package io.quarkflow.tracking.domain;

import io.quarkflow.mlflow.errors.MlflowException;
import java.util.Locale;

/** MLflow's LoggedModelStatus enum; its names go on the wire, and the protobuf numbers are accepted as well. */
public enum LoggedModelStatus {
    LOGGED_MODEL_STATUS_UNSPECIFIED(0),
    LOGGED_MODEL_PENDING(1),
    LOGGED_MODEL_READY(2),
    LOGGED_MODEL_UPLOAD_FAILED(3);

    private final int number;

    LoggedModelStatus(int number) {
        this.number = number;
    }

    public int number() {
        return number;
    }

    /** The end of an upload: what finalize normally sets. */
    public boolean isFinal() {
        return this == LOGGED_MODEL_READY || this == LOGGED_MODEL_UPLOAD_FAILED;
    }

    public static LoggedModelStatus of(int number) {
        for (LoggedModelStatus status : values()) {
            if (status.number == number) {
                return status;
            }
        }
        throw unknown(String.valueOf(number));
    }

    /**
     * A name or a number. MLflow's server turns an unknown value into LOGGED_MODEL_STATUS_UNSPECIFIED on the way in
     * (protobuf's JSON parser) and stores that; this refuses it with the message of MLflow's own from_int.
     */
    public static LoggedModelStatus parse(String value) {
        String name = value.trim().toUpperCase(Locale.ROOT);
        for (LoggedModelStatus status : values()) {
            if (status.name().equals(name) || String.valueOf(status.number).equals(name)) {
                return status;
            }
        }
        throw unknown(value);
    }

    private static MlflowException unknown(String value) {
        return MlflowException.invalidParameter("Unknown model status: " + value);
    }
}
