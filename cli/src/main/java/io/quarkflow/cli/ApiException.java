package io.quarkflow.cli;

/**
 * The server said no: MLflow's {@code {"error_code", "message"}}, or {@code HTTP_<status>} and the body when the
 * answer was not MLflow's. Printed as {@code error_code: message}, exit code 1.
 */
final class ApiException extends RuntimeException {

    private final String errorCode;

    ApiException(String errorCode, String message) {
        super(message);
        this.errorCode = errorCode;
    }

    boolean notFound() {
        return "RESOURCE_DOES_NOT_EXIST".equals(errorCode);
    }

    @Override
    public String toString() {
        return errorCode + ": " + getMessage();
    }
}
