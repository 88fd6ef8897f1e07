package io.quarkflow.artifact.api;

import io.quarkflow.mlflow.MlflowException;

/** Checks on raw request input that JAX-RS itself would answer with a null. */
final class Requests {

    private Requests() {
    }

    static <T> T body(T body) {
        if (body == null) {
            throw MlflowException.invalidParameter("Request body is missing; expected a JSON object.");
        }
        return body;
    }

    /** MLflow takes run_id and, from older clients, run_uuid. */
    static String runId(String runId, String runUuid) {
        return runId == null || runId.isEmpty() ? runUuid : runId;
    }
}
