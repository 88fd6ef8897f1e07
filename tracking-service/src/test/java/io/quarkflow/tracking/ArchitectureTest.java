package io.quarkflow.tracking;

import io.quarkflow.testing.architecture.JsonReflection;
import io.quarkflow.testing.architecture.ServiceArchitecture;
import org.junit.jupiter.api.Test;

/** The package rules of ../shared/STYLE.md hold for tracking-service; the build fails when they are broken. */
class ArchitectureTest {

    @Test
    void packagesFollowTheHouseRules() {
        ServiceArchitecture.verify("io.quarkflow.tracking");
    }

    /** Native-ready: every class read or written as JSON is registered for reflection (see JsonReflection). */
    @Test
    void jsonTypesAreRegisteredForReflection() {
        JsonReflection.verify("io.quarkflow.tracking");
    }
}
