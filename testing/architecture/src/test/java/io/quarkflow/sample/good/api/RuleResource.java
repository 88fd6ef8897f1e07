package io.quarkflow.sample.good.api;

import io.quarkflow.sample.good.domain.Rule;
import io.quarkflow.sample.good.service.RuleService;

public class RuleResource {
    public Rule get() {
        return new RuleService().get();
    }
}
