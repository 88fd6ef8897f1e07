package io.quarkflow.tracking.domain;

public enum LifecycleStage {
    active,
    deleted
}
