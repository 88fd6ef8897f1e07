package io.quarkflow.tracking.domain;

/** MLflow's LoggedModelTag message. */
public record LoggedModelTag(String key, String value) {
}
