package io.quarkflow.mlflow.errors;

/** A request that MLflow would refuse, with the error code its client expects. */
public final class MlflowException extends RuntimeException {

    private final ErrorCode errorCode;

    public MlflowException(ErrorCode errorCode, String message) {
        super(message, null, false, false);
        this.errorCode = errorCode;
    }

    public ErrorCode errorCode() {
        return errorCode;
    }

    public static MlflowException invalidParameter(String message) {
        return new MlflowException(ErrorCode.INVALID_PARAMETER_VALUE, message);
    }

    public static MlflowException notFound(String message) {
        return new MlflowException(ErrorCode.RESOURCE_DOES_NOT_EXIST, message);
    }

    public static MlflowException alreadyExists(String message) {
        return new MlflowException(ErrorCode.RESOURCE_ALREADY_EXISTS, message);
    }

    public static MlflowException invalidState(String message) {
        return new MlflowException(ErrorCode.INVALID_STATE, message);
    }

    public static MlflowException notImplemented(String message) {
        return new MlflowException(ErrorCode.NOT_IMPLEMENTED, message);
    }

    public static MlflowException unavailable(String message) {
        return new MlflowException(ErrorCode.TEMPORARILY_UNAVAILABLE, message);
    }

    /**
     * MLflow's invalid_value (mlflow/utils/validation.py): the value as JSON, then the detail after a colon, or a
     * full stop when there is none.
     */
    public static MlflowException invalidValue(String field, Object value, String detail) {
        return invalidParameter("Invalid value " + Python.json(value) + " for parameter '" + field + "' supplied"
                + (detail == null ? "." : ": " + detail));
    }

    public static MlflowException missing(String field) {
        return invalidParameter("Missing value for required parameter '" + field + "'. "
                + "See the API docs for more information about request parameters.");
    }
}
