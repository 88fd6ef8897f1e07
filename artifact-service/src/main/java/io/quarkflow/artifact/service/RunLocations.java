package io.quarkflow.artifact.service;

import io.quarkflow.artifact.domain.ArtifactLocationResolver;
import io.quarkflow.mlflow.errors.MlflowException;
import io.quarkflow.tracking.client.TrackingClient;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.rest.client.inject.RestClient;

/** A run's artifact root: its artifact_uri from tracking-service, resolved to a storage key. */
@ApplicationScoped
public class RunLocations {

    private final TrackingClient tracking;
    private final ArtifactLocationResolver locations;

    public RunLocations(@RestClient TrackingClient tracking, ArtifactLocationResolver locations) {
        this.tracking = tracking;
        this.locations = locations;
    }

    public Uni<RunLocation> of(String runId) {
        return tracking.getRun(runId)
                .onFailure(failure -> !(failure instanceof MlflowException))
                .transform(failure -> MlflowException.unavailable("tracking-service could not be asked for run '"
                        + runId + "': " + failure.getMessage()))
                .map(response -> response.run().info().artifactUri())
                .map(uri -> new RunLocation(uri, locations.resolve(uri)));
    }

    /** {@code key} is where {@code artifactUri} lives under the storage root. */
    public record RunLocation(String artifactUri, String key) {
    }
}
