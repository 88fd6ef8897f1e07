package io.quarkflow.projects.domain;

import io.quarkflow.mlflow.errors.MlflowException;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Where a newest-first listing resumes: after this row in (submitted_at desc, id desc) order. Its page token is
 * opaque to clients (base64 of both), as MLflow's are.
 */
public record PagePosition(long submittedAt, String id) {

    private static final int DEFAULT_PAGE = 100;
    private static final int MAX_PAGE = 1000;

    /** A listing's page size: 100 unless asked for, at most 1,000. */
    public static int pageSize(Integer maxResults) {
        int size = maxResults == null ? DEFAULT_PAGE : maxResults;
        if (size < 1 || size > MAX_PAGE) {
            throw MlflowException.invalidValue("max_results", size, "it must be between 1 and " + MAX_PAGE);
        }
        return size;
    }

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
