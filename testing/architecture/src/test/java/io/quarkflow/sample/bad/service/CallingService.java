package io.quarkflow.sample.bad.service;

import io.quarkflow.sample.bad.store.CyclicRepository;

public class CallingService {
    public static final String TOPIC = "quarkflow.own-topic";
    public static final String TYPE = "io.quarkflow.run.own-event";

    public Object call() {
        return new CyclicRepository().find();
    }
}
