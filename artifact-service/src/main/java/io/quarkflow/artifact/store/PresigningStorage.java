package io.quarkflow.artifact.store;

import io.quarkflow.artifact.domain.TransferMethod;
import io.quarkflow.artifact.domain.UploadedPart;

import java.time.Duration;
import java.util.List;

/**
 * Storage that clients can reach directly with presigned URLs, so large files never cross a service: presigned
 * GET/PUT and S3 multipart uploads (MLflow's MultipartUploadMixin). Every method blocks.
 */
public interface PresigningStorage {

    String presignedUrl(TransferMethod method, String key, Duration expiry);

    /** Starts a multipart upload to {@code key} and returns its upload id. */
    String createMultipartUpload(String key);

    String presignedPartUrl(String key, String uploadId, int partNumber, Duration expiry);

    void completeMultipartUpload(String key, String uploadId, List<UploadedPart> parts);

    void abortMultipartUpload(String key, String uploadId);
}
