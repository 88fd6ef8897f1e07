package io.quarkflow.sample.json.good;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** Nested records registered through their holder (ignoreNested is false by default). */
@RegisterForReflection
public final class Messages {

    private Messages() {
    }

    public record Reply(Detail detail) {
    }

    public record Detail(String text) {
    }
}
