package io.quarkflow.artifact.service;

import io.quarkflow.artifact.domain.ArtifactKeys;
import io.quarkflow.artifact.domain.ArtifactLocationResolver;
import io.quarkflow.artifact.domain.ArtifactPathValidator;
import io.quarkflow.mlflow.errors.MlflowException;
import io.quarkflow.tracking.client.TrackingClient;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.regex.Pattern;
import org.eclipse.microprofile.rest.client.inject.RestClient;

/**
 * The artifact root of a run or a logged model: its artifact URI, which tracking-service owns, resolved to a key
 * under the storage root. tracking-service's MLflow errors (an unknown id is RESOURCE_DOES_NOT_EXIST) pass through.
 */
@ApplicationScoped
public class ArtifactRoots {

    private final TrackingClient tracking;
    private final ArtifactLocationResolver locations;

    public ArtifactRoots(@RestClient TrackingClient tracking, ArtifactLocationResolver locations) {
        this.tracking = tracking;
        this.locations = locations;
    }

    /**
     * MLflow's run id rule (mlflow/utils/validation.py, _validate_run_id). An id outside it names no run, and one of
     * kilobytes would not even fit in tracking-service's request line (a 414 that read as "unavailable", 503).
     */
    private static final Pattern RUN_ID = Pattern.compile("[a-zA-Z0-9][\\w\\-]{0,255}");

    public Uni<ArtifactRoot> ofRun(String runId) {
        if (runId == null || !RUN_ID.matcher(runId).matches()) {
            return Uni.createFrom().failure(MlflowException.invalidParameter("Invalid run ID: '" + runId + "'"));
        }
        return asked(tracking.getRun(runId), "run '" + runId + "'")
                .map(response -> root(response.run().info().artifactUri(), "run '" + runId + "'"));
    }

    /** The id becomes a segment of tracking-service's URL, so it must be one safe path segment. */
    public Uni<ArtifactRoot> ofLoggedModel(String modelId) {
        String id = ArtifactPathValidator.validateFileName(modelId);
        return asked(tracking.getLoggedModel(id), "logged model '" + id + "'")
                .map(response -> root(response.model().info().artifactUri(), "logged model '" + id + "'"));
    }

    private static <T> Uni<T> asked(Uni<T> call, String what) {
        return call.onFailure(failure -> !(failure instanceof MlflowException))
                .transform(failure -> MlflowException.unavailable("tracking-service could not be asked for " + what
                        + ": " + failure.getMessage()));
    }

    private ArtifactRoot root(String artifactUri, String what) {
        if (artifactUri == null) {
            throw new IllegalStateException("tracking-service answered " + what + " without an artifact_uri");
        }
        return new ArtifactRoot(artifactUri, locations.resolve(artifactUri));
    }

    /** {@code key} is where {@code artifactUri} lives under the storage root. */
    public record ArtifactRoot(String artifactUri, String key) {

        /** The storage key of a validated path relative to this root. */
        public String keyOf(String relativePath) {
            return ArtifactKeys.join(key, relativePath);
        }
    }
}
