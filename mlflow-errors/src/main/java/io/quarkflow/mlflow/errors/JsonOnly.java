package io.quarkflow.mlflow.errors;

import java.util.regex.Pattern;

/**
 * MLflow accepts POST bodies only as application/json (mlflow/server/handlers.py, _validate_content_type);
 * refusing other types also closes the text/plain cross-site request forgery of CVE-2023-43472, which needs
 * no CORS preflight.
 */
public final class JsonOnly {

    private static final String TOKEN = "[!#$%&'*+.^_`|~0-9A-Za-z-]+";
    /**
     * MLflow's check ({@code content_type.split(";")[0] == "application/json"}: exact, case and all), with
     * parameters as RFC 9110 has them (name=token or name="quoted", no space before the semicolon), or the
     * services' own parser would refuse with a 415 what the gateway let through.
     */
    private static final Pattern JSON = Pattern.compile("application/json(;[ \\t]*" + TOKEN + "=(" + TOKEN
            + "|\"([^\"\\\\]|\\\\.)*\"))*");

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
        return JSON.matcher(contentType.strip()).matches() ? null
                : "Bad Request. Content-Type must be one of ['application/json'].";
    }
}
