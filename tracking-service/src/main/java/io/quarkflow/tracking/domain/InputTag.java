package io.quarkflow.tracking.domain;

public record InputTag(String key, String value) {
}
