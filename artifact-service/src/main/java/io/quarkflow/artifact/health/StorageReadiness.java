package io.quarkflow.artifact.health;

import io.quarkflow.artifact.store.ArtifactStorage;
import io.smallrye.health.api.AsyncHealthCheck;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready only while the artifact storage answers: the gateway's /health and Kubernetes rely on it. */
@Readiness
@ApplicationScoped
public class StorageReadiness implements AsyncHealthCheck {

    private final ArtifactStorage storage;

    StorageReadiness(ArtifactStorage storage) {
        this.storage = storage;
    }

    @Override
    public Uni<HealthCheckResponse> call() {
        // The storage clients block; the check runs on a worker thread, never on the event loop.
        return Uni.createFrom().item(storage::problem)
                .runSubscriptionOn(Infrastructure.getDefaultWorkerPool())
                .map(problem -> problem == null
                        ? HealthCheckResponse.up("artifact-storage")
                        : HealthCheckResponse.named("artifact-storage").down().withData("problem", problem).build());
    }
}
