package io.quarkflow.sample.json.good;

import io.quarkus.runtime.annotations.RegisterForReflection;

@RegisterForReflection(targets = AskResource.Ask.class, classNames = "io.quarkflow.sample.json.good.AskResource$Item")
final class NativeReflection {

    private NativeReflection() {
    }
}
