package io.quarkflow.artifact.domain;

/** A part of a multipart upload that the client has sent to storage, as S3 needs it to complete the upload. */
public record UploadedPart(int partNumber, String etag) {
}
