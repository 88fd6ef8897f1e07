package io.quarkflow.tracking.domain;

/** MLflow's RunInfo message; run_uuid is the deprecated twin of run_id that older clients still read. */
public record RunInfo(
        String runId,
        String runUuid,
        String runName,
        String experimentId,
        String userId,
        RunStatus status,
        Long startTime,
        Long endTime,
        String artifactUri,
        LifecycleStage lifecycleStage) {
}
