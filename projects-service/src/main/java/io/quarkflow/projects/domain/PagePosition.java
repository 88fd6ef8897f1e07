package io.quarkflow.projects.domain;

import io.quarkflow.mlflow.errors.MlflowException;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Where a newest-first listing resumes: after this row in (submitted_at desc, id desc) order. Its page token is
 * opaque to clients (base64 of both), as MLflow's are.
 */
public record PagePosition(long submittedAt, String id) {

    public String token() {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(
                (submittedAt + ":" + id).getBytes(StandardCharsets.UTF_8));
    }

    /** Null for the first page; MLflow's 400 for a token this did not make. */
    public static PagePosition of(String pageToken) {
        if (pageToken == null || pageToken.isEmpty()) {
            return null;
        }
        try {
            String decoded = new String(Base64.getUrlDecoder().decode(pageToken), StandardCharsets.UTF_8);
            int colon = decoded.indexOf(':');
            return new PagePosition(Long.parseLong(decoded.substring(0, colon)), decoded.substring(colon + 1));
        } catch (IllegalArgumentException | IndexOutOfBoundsException e) {
            throw MlflowException.invalidParameter("Invalid page token, could not base64-decode");
        }
    }
}
