package io.quarkflow.sample.good.store;

import io.quarkflow.sample.good.domain.Rule;

public class RuleRepository {
    public Rule find() {
        return new Rule("x");
    }
}
