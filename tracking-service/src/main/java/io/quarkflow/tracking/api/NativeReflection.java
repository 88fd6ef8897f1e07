package io.quarkflow.tracking.api;

import io.quarkflow.tracking.domain.Dataset;
import io.quarkflow.tracking.domain.DatasetInput;
import io.quarkflow.tracking.domain.DatasetSummary;
import io.quarkflow.tracking.domain.Experiment;
import io.quarkflow.tracking.domain.ExperimentTag;
import io.quarkflow.tracking.domain.InputTag;
import io.quarkflow.tracking.domain.LifecycleStage;
import io.quarkflow.tracking.domain.LoggedModel;
import io.quarkflow.tracking.domain.LoggedModelInfo;
import io.quarkflow.tracking.domain.LoggedModelParameter;
import io.quarkflow.tracking.domain.LoggedModelSearchRules;
import io.quarkflow.tracking.domain.LoggedModelStatus;
import io.quarkflow.tracking.domain.LoggedModelTag;
import io.quarkflow.tracking.domain.Metric;
import io.quarkflow.tracking.domain.ModelInput;
import io.quarkflow.tracking.domain.ModelOutput;
import io.quarkflow.tracking.domain.ModelVersion;
import io.quarkflow.tracking.domain.ModelVersionTag;
import io.quarkflow.tracking.domain.Param;
import io.quarkflow.tracking.domain.RegisteredModel;
import io.quarkflow.tracking.domain.RegisteredModelAlias;
import io.quarkflow.tracking.domain.RegisteredModelTag;
import io.quarkflow.tracking.domain.Run;
import io.quarkflow.tracking.domain.RunInfo;
import io.quarkflow.tracking.domain.RunStatus;
import io.quarkflow.tracking.domain.RunTag;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * Records and enums that Jackson reads or writes only as nested members of request and response bodies, for native
 * images (the bodies themselves are registered with Messages and RegistryMessages).
 */
@RegisterForReflection(targets = {Experiment.class, ExperimentTag.class, Run.class, Run.Data.class, Run.Inputs.class,
    Run.Outputs.class, RunInfo.class, Metric.class, Param.class, RunTag.class, Dataset.class, DatasetInput.class,
    DatasetSummary.class, InputTag.class, ModelInput.class, ModelOutput.class, LoggedModel.class, LoggedModel.Data.class,
    LoggedModelInfo.class, LoggedModelParameter.class, LoggedModelTag.class, LoggedModelSearchRules.Dataset.class,
    LoggedModelSearchRules.OrderBy.class, RegisteredModel.class, RegisteredModelTag.class, RegisteredModelAlias.class,
    ModelVersion.class, ModelVersionTag.class, LifecycleStage.class, LoggedModelStatus.class,
    RunStatus.class})
final class NativeReflection {

    private NativeReflection() {
    }
}
