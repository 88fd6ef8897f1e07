package io.quarkflow.tracking.domain;

/** MLflow's ModelVersionTag message. */
public record ModelVersionTag(String key, String value) {
}
