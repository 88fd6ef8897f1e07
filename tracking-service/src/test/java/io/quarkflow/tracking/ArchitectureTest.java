package io.quarkflow.tracking;

import io.quarkflow.testing.architecture.ServiceArchitecture;
import org.junit.jupiter.api.Test;

/** The package rules of ../shared/STYLE.md hold for tracking-service; the build fails when they are broken. */
class ArchitectureTest {

    @Test
    void packagesFollowTheHouseRules() {
        ServiceArchitecture.verify("io.quarkflow.tracking");
    }
}
