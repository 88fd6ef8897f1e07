package io.quarkflow.tracking.domain;

import java.util.List;

/** MLflow 3's LoggedModel message: info (with the tags) and data (params, and the metrics logged with its id). */
public record LoggedModel(LoggedModelInfo info, Data data) {

    /** MLflow's LoggedModelData. */
    public record Data(List<LoggedModelParameter> params, List<Metric> metrics) {
    }
}
