package io.quarkflow.tracking.domain;

/** MLflow's LoggedModelParameter message. */
public record LoggedModelParameter(String key, String value) {
}
