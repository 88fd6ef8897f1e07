package io.quarkflow.tracking.domain;

/** MLflow's RegisteredModelAlias message: an alias and the version (as text, as on the wire) it points to. */
public record RegisteredModelAlias(String alias, String version) {
}
