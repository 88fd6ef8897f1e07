package io.quarkflow.tracking.domain;

import java.util.List;

/** MLflow's Run message: info, data (latest metrics, params, tags) and inputs. */
public record Run(RunInfo info, Data data, Inputs inputs) {

    public record Data(List<Metric> metrics, List<Param> params, List<RunTag> tags) {
    }

    public record Inputs(List<DatasetInput> datasetInputs) {
    }
}
