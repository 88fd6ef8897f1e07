package io.quarkflow.sample.bad.store;

import io.quarkflow.sample.bad.service.CallingService;

public class CyclicRepository {
    public Object find() {
        return new CallingService();
    }
}
