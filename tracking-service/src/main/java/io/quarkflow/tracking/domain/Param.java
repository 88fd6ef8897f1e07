package io.quarkflow.tracking.domain;

public record Param(String key, String value) {
}
