package io.quarkflow.artifact.api;

import io.quarkflow.artifact.domain.FileInfo;
import io.quarkflow.artifact.domain.MultipartUploadCredential;

import java.util.List;
import java.util.Map;

/** Request and response bodies, named after MLflow's protobuf messages (mlflow_artifacts.proto, service.proto). */
public final class Messages {

    private Messages() {
    }


    /** MLflow answers requests that return nothing with an empty object. */
    public static final Map<String, Object> EMPTY = Map.of();

    /** Both listing APIs answer with MLflow's ListArtifacts.Response; the proxy leaves root_uri out. */
    public record ListArtifactsResponse(String rootUri, List<FileInfo> files) {
    }

    /** {@code path} is the client's local file; its name becomes the last segment of the stored key. */
    public record CreateMultipartUpload(String path, Integer numParts) {
    }

    public record CreateMultipartUploadResponse(String uploadId, List<MultipartUploadCredential> credentials) {
    }

    public record CompleteMultipartUpload(String path, String uploadId, List<MultipartUploadPart> parts) {
    }

    /** {@code url} is the presigned URL the part went to; the client echoes it and storage does not need it. */
    public record MultipartUploadPart(Integer partNumber, String etag, String url) {
    }

    public record AbortMultipartUpload(String path, String uploadId) {
    }

    /** Quarkflow's extension: {@code method} is GET or PUT; the URL is valid for {@code expires_in_seconds}. */
    public record PresignRequest(String runId, String artifactUri, String path, String method, Long expiresInSeconds) {
    }

    public record PresignResponse(String url, String method, long expiresAt) {
    }
}
