package io.quarkflow.sample.good.service;

import io.quarkflow.sample.good.domain.Rule;
import io.quarkflow.sample.good.store.RuleRepository;

public class RuleService {
    public Rule get() {
        return new RuleRepository().find();
    }
}
