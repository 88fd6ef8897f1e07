package io.quarkflow.gateway;

import io.quarkflow.testing.architecture.JsonReflection;
import io.quarkflow.testing.architecture.ServiceArchitecture;
import org.junit.jupiter.api.Test;

/**
 * The gateway is one package, so of the house rules only those that reach across modules bite here (event types
 * and topic names belong to the events module); they run so that a package split later is checked at once.
 */
class ArchitectureTest {

    @Test
    void packagesFollowTheHouseRules() {
        ServiceArchitecture.verify("io.quarkflow.gateway");
    }

    /** Native-ready: every class read or written as JSON is registered for reflection (see JsonReflection). */
    @Test
    void jsonTypesAreRegisteredForReflection() {
        JsonReflection.verify("io.quarkflow.gateway");
    }
}
