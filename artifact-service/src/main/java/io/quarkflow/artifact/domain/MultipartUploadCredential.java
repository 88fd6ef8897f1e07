package io.quarkflow.artifact.domain;

import java.util.Map;

/** MLflow's MultipartUploadCredential: where the client PUTs one part, with any headers it must send. */
public record MultipartUploadCredential(String url, int partNumber, Map<String, String> headers) {
}
