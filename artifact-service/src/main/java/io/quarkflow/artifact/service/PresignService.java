package io.quarkflow.artifact.service;

import io.quarkflow.artifact.config.ArtifactConfig;
import io.quarkflow.artifact.domain.ArtifactKeys;
import io.quarkflow.artifact.domain.ArtifactLocationResolver;
import io.quarkflow.artifact.domain.ArtifactPathValidator;
import io.quarkflow.mlflow.errors.MlflowException;
import io.quarkflow.artifact.domain.TransferMethod;
import io.quarkflow.artifact.store.ArtifactStorage;
import io.quarkflow.artifact.store.PresigningStorage;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;
import java.time.Instant;

/** Quarkflow's presigned direct transfers: a client moves a large file to or from storage without a service hop. */
@ApplicationScoped
public class PresignService {

    /** SigV4 presigned URLs live at most seven days. */
    private static final long MAX_EXPIRY_SECONDS = Duration.ofDays(7).toSeconds();

    private final ArtifactStorage storage;
    private final ArtifactLocationResolver locations;
    private final ArtifactRoots roots;
    private final ArtifactConfig config;

    public PresignService(ArtifactStorage storage, ArtifactLocationResolver locations, ArtifactRoots roots,
                          ArtifactConfig config) {
        this.storage = storage;
        this.locations = locations;
        this.roots = roots;
        this.config = config;
    }

    /**
     * A presigned URL for {@code path} under the run's artifact root, under {@code artifactUri}, or, when neither
     * is given, under the storage root ({@code mlflow-artifacts:/}).
     */
    public Uni<PresignedUrl> presign(String runId, String artifactUri, String path, String method, Long expiresIn) {
        if (path == null || path.isEmpty()) {
            throw MlflowException.missing("path");
        }
        String relative = ArtifactPathValidator.validate(path);
        TransferMethod transfer = TransferMethod.parse(method);
        Duration expiry = expiry(expiresIn);
        if (present(runId) && present(artifactUri)) {
            throw MlflowException.invalidParameter("Give either run_id or artifact_uri, not both");
        }
        String uriKey = present(artifactUri) ? locations.resolve(artifactUri) : "";
        if (!(storage instanceof PresigningStorage s3)) {
            throw MlflowException.notImplemented("Presigned URLs need S3-compatible storage; this artifact-service "
                    + "keeps artifacts in a local directory. Transfer them through "
                    + "/api/2.0/mlflow-artifacts/artifacts/.");
        }
        Uni<String> base = present(runId)
                ? roots.ofRun(runId).map(ArtifactRoots.ArtifactRoot::key)
                : Uni.createFrom().item(uriKey);
        return base.chain(key -> Workers.run(() -> {
            Instant expiresAt = Instant.now().plus(expiry);
            String url = s3.presignedUrl(transfer, ArtifactKeys.join(key, relative), expiry);
            return new PresignedUrl(url, transfer.name(), expiresAt.toEpochMilli());
        }));
    }

    private Duration expiry(Long expiresIn) {
        if (expiresIn == null) {
            return config.presignExpiry();
        }
        if (expiresIn < 1 || expiresIn > MAX_EXPIRY_SECONDS) {
            throw MlflowException.invalidParameter("expires_in_seconds must be between 1 and " + MAX_EXPIRY_SECONDS
                    + ", got " + expiresIn);
        }
        return Duration.ofSeconds(expiresIn);
    }

    private static boolean present(String value) {
        return value != null && !value.isEmpty();
    }

    /** {@code expiresAt} in milliseconds since the epoch, like every MLflow timestamp. */
    public record PresignedUrl(String url, String method, long expiresAt) {
    }
}
