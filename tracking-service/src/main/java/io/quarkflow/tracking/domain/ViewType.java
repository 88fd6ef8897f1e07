package io.quarkflow.tracking.domain;

import io.quarkflow.mlflow.errors.MlflowException;
import java.util.Locale;

/** Which lifecycle stages a search returns; MLflow's ViewType (ACTIVE_ONLY=1, DELETED_ONLY=2, ALL=3). */
public enum ViewType {
    ACTIVE_ONLY(1),
    DELETED_ONLY(2),
    ALL(3);

    private final int number;

    ViewType(int number) {
        this.number = number;
    }

    public boolean includes(LifecycleStage stage) {
        return this == ALL || (this == ACTIVE_ONLY) == (stage == LifecycleStage.active);
    }

    /** Absent means ACTIVE_ONLY, as in MLflow. */
    public static ViewType parse(String value, String field) {
        if (value == null || value.isEmpty()) {
            return ACTIVE_ONLY;
        }
        for (ViewType type : values()) {
            if (type.name().equals(value.toUpperCase(Locale.ROOT)) || String.valueOf(type.number).equals(value)) {
                return type;
            }
        }
        throw MlflowException.invalidParameter("Invalid value '" + value + "' for parameter '" + field + "'. "
                + "Allowed values: ACTIVE_ONLY, DELETED_ONLY, ALL.");
    }
}
