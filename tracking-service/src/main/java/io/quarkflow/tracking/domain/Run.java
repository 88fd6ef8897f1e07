package io.quarkflow.tracking.domain;

import java.util.List;

/** MLflow's Run message: info, data (latest metrics, params, tags), inputs and outputs. */
public record Run(RunInfo info, Data data, Inputs inputs, Outputs outputs) {

    public record Data(List<Metric> metrics, List<Param> params, List<RunTag> tags) {
    }

    public record Inputs(List<DatasetInput> datasetInputs, List<ModelInput> modelInputs) {
    }

    public record Outputs(List<ModelOutput> modelOutputs) {
    }
}
