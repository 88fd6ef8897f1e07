package io.quarkflow.mlflow.errors;

/** Checks on raw request input that JAX-RS itself would answer with a 404 or a null, as MLflow's 400s. */
public final class Requests {

    private Requests() {
    }

    public static <T> T body(T body) {
        if (body == null) {
            throw MlflowException.invalidParameter("Request body is missing; expected a JSON object.");
        }
        return body;
    }

    /** MLflow takes run_id and, from older clients, run_uuid. */
    public static String runId(String runId, String runUuid) {
        String id = runId == null || runId.isEmpty() ? runUuid : runId;
        if (id == null || id.isEmpty()) {
            throw MlflowException.missing("run_id");
        }
        return id;
    }

    /** Query-string integers are parsed here so that "abc" is MLflow's 400, not JAX-RS's 404. */
    public static Long optionalLong(String value, String name) {
        if (value == null || value.isEmpty()) {
            return null;
        }
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            throw MlflowException.invalidParameter("Parameter '" + name + "' must be an integer, got '" + value + "'.");
        }
    }

    /**
     * What to tell a client whose request the HTTP framework refused before any endpoint saw it: the framework's own
     * explanation (its messages are constants such as "For HTTP/1.x requests, the 'Host' header is required"), without
     * control characters and cut at 200 characters.
     */
    public static String refusedByFramework(int status, Throwable failure) {
        String reason = switch (status) {
            case 404 -> "No such endpoint";
            case 405 -> "Method not allowed";
            case 413 -> "Request body too large";
            default -> "Malformed request";
        };
        String detail = failure == null || failure.getMessage() == null ? ""
                : failure.getMessage().replaceAll("\\p{Cntrl}", " ").strip();
        if (detail.length() > 200) {
            detail = detail.substring(0, 200) + "...";
        }
        return detail.isEmpty() ? reason + "." : reason + ": " + detail;
    }
}
