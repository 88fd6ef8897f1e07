package io.quarkflow.k8s;

import java.util.List;
import java.util.stream.Stream;

/** The overlays the parameterized tests run over, and the names every overlay shares. */
final class Overlays {

    /** The five Quarkflow services, each a stateless Deployment of the image quarkflow/&lt;name&gt;. */
    static final List<String> SERVICES = List.of("gateway", "tracking-service", "artifact-service",
            "projects-service", "launcher");
    static final String NAMESPACE = "quarkflow";
    static final String RUNS_NAMESPACE = "quarkflow-runs";

    private Overlays() {
    }

    /** The name of every overlay under k8s/overlays (each test renders it, so that a missing kubectl skips tests). */
    static Stream<String> all() {
        return Repository.overlayNames().stream();
    }
}
