package io.quarkflow.tracking.domain;

/** MLflow's RegisteredModelTag message. */
public record RegisteredModelTag(String key, String value) {
}
