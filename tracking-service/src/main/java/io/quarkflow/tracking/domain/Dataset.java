package io.quarkflow.tracking.domain;

/** MLflow's Dataset message (field "schema" is the dataset's schema, not a SQL schema). */
public record Dataset(String name, String digest, String sourceType, String source, String schema, String profile) {
}
