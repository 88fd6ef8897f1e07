package io.quarkflow.artifact.service;

import io.quarkflow.artifact.config.ArtifactConfig;
import io.quarkflow.artifact.domain.ArtifactKeys;
import io.quarkflow.artifact.domain.ArtifactPathValidator;
import io.quarkflow.mlflow.errors.MlflowException;
import io.quarkflow.artifact.domain.MultipartUploadCredential;
import io.quarkflow.artifact.domain.UploadedPart;
import io.quarkflow.artifact.store.ArtifactStorage;
import io.quarkflow.artifact.store.PresigningStorage;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * MLflow's proxied multipart upload (mlflow-artifacts/mpu): the client PUTs each part straight to storage with a
 * presigned URL. The object lands at {@code <artifact path>/<name of the client's local file>}, as in MLflow.
 */
@ApplicationScoped
public class MultipartUploadService {

    /** MLflow's exact message: its client matches the prefix and falls back to a single PUT. */
    public static final String UNSUPPORTED = "Multipart upload is not supported for the current artifact repository";

    /** S3's limit on the parts of one upload. */
    private static final int MAX_PARTS = 10_000;

    private final ArtifactStorage storage;
    private final ArtifactConfig config;

    public MultipartUploadService(ArtifactStorage storage, ArtifactConfig config) {
        this.storage = storage;
        this.config = config;
    }

    public Uni<CreatedUpload> create(String artifactPath, String localPath, Integer numParts) {
        String key = key(artifactPath, localPath);
        if (numParts == null) {
            throw MlflowException.missing("num_parts");
        }
        if (numParts < 1 || numParts > MAX_PARTS) {
            throw MlflowException.invalidParameter(
                    "num_parts must be between 1 and " + MAX_PARTS + ", got " + numParts);
        }
        PresigningStorage s3 = presigning();
        return Workers.run(() -> {
            String uploadId = s3.createMultipartUpload(key);
            List<MultipartUploadCredential> credentials = IntStream.rangeClosed(1, numParts)
                    .mapToObj(part -> new MultipartUploadCredential(
                            s3.presignedPartUrl(key, uploadId, part, config.presignExpiry()), part, Map.of()))
                    .toList();
            return new CreatedUpload(uploadId, credentials);
        });
    }

    public Uni<Void> complete(String artifactPath, String localPath, String uploadId, List<UploadedPart> parts) {
        String key = key(artifactPath, localPath);
        String id = uploadId(uploadId);
        if (parts == null || parts.isEmpty()) {
            throw MlflowException.missing("parts");
        }
        for (UploadedPart part : parts) {
            boolean numbered = part.partNumber() >= 1 && part.partNumber() <= MAX_PARTS;
            if (!numbered || part.etag() == null || part.etag().isEmpty()) {
                throw MlflowException.invalidParameter("Each part needs a part_number between 1 and " + MAX_PARTS
                        + " and the etag storage returned for it");
            }
        }
        PresigningStorage s3 = presigning();
        return Workers.run(() -> s3.completeMultipartUpload(key, id, parts));
    }

    public Uni<Void> abort(String artifactPath, String localPath, String uploadId) {
        String key = key(artifactPath, localPath);
        String id = uploadId(uploadId);
        PresigningStorage s3 = presigning();
        return Workers.run(() -> s3.abortMultipartUpload(key, id));
    }

    private static String key(String artifactPath, String localPath) {
        String directory = ArtifactPathValidator.validate(artifactPath);
        if (localPath == null || localPath.isEmpty()) {
            throw MlflowException.missing("path");
        }
        return ArtifactKeys.join(directory, ArtifactPathValidator.validateFileName(ArtifactKeys.fileName(localPath)));
    }

    private static String uploadId(String uploadId) {
        if (uploadId == null || uploadId.isEmpty()) {
            throw MlflowException.missing("upload_id");
        }
        return uploadId;
    }

    private PresigningStorage presigning() {
        if (storage instanceof PresigningStorage s3) {
            return s3;
        }
        throw MlflowException.notImplemented(UNSUPPORTED);
    }

    public record CreatedUpload(String uploadId, List<MultipartUploadCredential> credentials) {
    }
}
