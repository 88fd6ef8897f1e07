package io.quarkflow.sample.json.bad;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** ignoreNested = true: the holder is registered, its nested record is not. */
@RegisterForReflection(ignoreNested = true)
public final class Holder {

    private Holder() {
    }

    public record Nested(String text) {
    }
}
