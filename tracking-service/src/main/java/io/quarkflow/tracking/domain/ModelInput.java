package io.quarkflow.tracking.domain;

/** MLflow's ModelInput message: a logged model a run used (runs/log-inputs). */
public record ModelInput(String modelId) {
}
