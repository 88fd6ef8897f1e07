package io.quarkflow.projects;

import io.quarkflow.testing.architecture.ServiceArchitecture;
import org.junit.jupiter.api.Test;

class ArchitectureTest {

    @Test
    void layersAndContractsHold() {
        ServiceArchitecture.verify("io.quarkflow.projects");
    }
}
