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
}
