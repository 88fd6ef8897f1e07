package io.quarkflow.sample.bad.api;

import io.quarkflow.sample.bad.store.CyclicRepository;

public class ShortcutResource {
    public Object get() {
        return new CyclicRepository().find();
    }
}
