package io.quarkflow.tracking.domain;

/** A dataset used by runs of an experiment, with the context it was used in (MLflow's DatasetSummary). */
public record DatasetSummary(String experimentId, String name, String digest, String context) {
}
