package io.quarkflow.tracking.domain;

public record RunTag(String key, String value) {
}
