package io.quarkflow.sample.good.domain;

public record Rule(String name) {
    public static final String DEFAULT = "io.quarkflow is a name, not an event type";
}
