package io.quarkflow.tracking.domain;

public record ExperimentTag(String key, String value) {
}
