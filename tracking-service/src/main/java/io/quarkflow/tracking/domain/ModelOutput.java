package io.quarkflow.tracking.domain;

/** MLflow's ModelOutput message: a logged model a run produced, at a step (runs/outputs). */
public record ModelOutput(String modelId, Long step) {
}
