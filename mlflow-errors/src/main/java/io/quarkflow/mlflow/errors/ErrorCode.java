package io.quarkflow.mlflow.errors;

/** MLflow's error codes with the HTTP status MLflow's server answers them with (mlflow/exceptions.py). */
public enum ErrorCode {
    INVALID_PARAMETER_VALUE(400),
    BAD_REQUEST(400),
    RESOURCE_ALREADY_EXISTS(400),
    UNAUTHENTICATED(401),
    PERMISSION_DENIED(403),
    RESOURCE_DOES_NOT_EXIST(404),
    ENDPOINT_NOT_FOUND(404),
    REQUEST_LIMIT_EXCEEDED(429),
    INVALID_STATE(500),
    INTERNAL_ERROR(500),
    NOT_IMPLEMENTED(501),
    TEMPORARILY_UNAVAILABLE(503);

    private final int httpStatus;

    ErrorCode(int httpStatus) {
        this.httpStatus = httpStatus;
    }

    public int httpStatus() {
        return httpStatus;
    }

    /**
     * The code for a status the HTTP framework chose itself (a request it could not route or parse), so that even
     * those answers are MLflow's error body.
     */
    public static ErrorCode forHttpStatus(int status) {
        return switch (status) {
            case 401 -> UNAUTHENTICATED;
            case 403 -> PERMISSION_DENIED;
            case 404, 405 -> ENDPOINT_NOT_FOUND;
            case 429 -> REQUEST_LIMIT_EXCEEDED;
            case 501 -> NOT_IMPLEMENTED;
            case 502, 503, 504 -> TEMPORARILY_UNAVAILABLE;
            default -> status >= 400 && status < 500 ? BAD_REQUEST : INTERNAL_ERROR;
        };
    }
}
