package io.quarkflow.mlflow;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** MLflow's error body: {"error_code": "...", "message": "..."}. */
@RegisterForReflection
public record ErrorResponse(String errorCode, String message) {
}
