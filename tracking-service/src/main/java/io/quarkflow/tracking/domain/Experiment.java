package io.quarkflow.tracking.domain;

import java.util.List;

/** MLflow's Experiment message. */
public record Experiment(
        String experimentId,
        String name,
        String artifactLocation,
        LifecycleStage lifecycleStage,
        Long lastUpdateTime,
        Long creationTime,
        List<ExperimentTag> tags) {
}
