package io.quarkflow.artifact.api;

import io.quarkflow.artifact.domain.FileInfo;
import io.quarkflow.artifact.domain.MultipartUploadCredential;
import io.quarkflow.artifact.service.ArtifactListing;
import io.quarkus.runtime.annotations.RegisterForReflection;

import java.util.List;
import java.util.Map;

/**
 * Request and response bodies, named after MLflow's protobuf messages (mlflow_artifacts.proto, service.proto).
 * Registered with their nested records for native images.
 */
@RegisterForReflection
public final class Messages {

    private Messages() {
    }

    /** MLflow answers requests that return nothing with an empty object. */
    public static final Map<String, Object> EMPTY = Map.of();

    /**
     * MLflow's ListArtifacts.Response, which every listing answers with; ListLoggedModelArtifacts.Response has the
     * same fields. The proxy leaves root_uri out; next_page_token is never set, as one page holds a whole level.
     */
    public record ListArtifactsResponse(String rootUri, List<FileInfo> files) {

        static ListArtifactsResponse of(ArtifactListing listing) {
            return new ListArtifactsResponse(listing.rootUri(), listing.files());
        }
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
