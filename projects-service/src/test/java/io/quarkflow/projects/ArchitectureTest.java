package io.quarkflow.projects;

import io.quarkflow.testing.architecture.JsonReflection;
import io.quarkflow.testing.architecture.ServiceArchitecture;
import org.junit.jupiter.api.Test;

class ArchitectureTest {

    @Test
    void layersAndContractsHold() {
        ServiceArchitecture.verify("io.quarkflow.projects");
    }

    /** Native-ready: every class read or written as JSON is registered for reflection (see JsonReflection). */
    @Test
    void jsonTypesAreRegisteredForReflection() {
        JsonReflection.verify("io.quarkflow.projects");
    }
}
