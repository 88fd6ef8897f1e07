package io.quarkflow.mlflow.errors;

import java.util.Locale;

/**
 * MLflow accepts POST bodies only as application/json (mlflow/server/handlers.py, _validate_content_type);
 * refusing other types also closes the text/plain cross-site request forgery of CVE-2023-43472, which needs
 * no CORS preflight.
 */
public final class JsonOnly {

    private JsonOnly() {
    }

    /** Null when a request with this method and Content-Type header may go on, else MLflow's message for a 400. */
    public static String problem(String method, String contentType) {
        if (!"POST".equals(method)) {
            return null;
        }
        if (contentType == null || contentType.isBlank()) {
            return "Bad Request. Content-Type header is missing.";
        }
        String mediaType = contentType.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
        return mediaType.equals("application/json") ? null
                : "Bad Request. Content-Type must be one of ['application/json'].";
    }
}
