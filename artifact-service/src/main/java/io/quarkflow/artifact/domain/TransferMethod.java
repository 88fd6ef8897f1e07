package io.quarkflow.artifact.domain;

import io.quarkflow.mlflow.errors.MlflowException;
import java.util.Locale;

/** What a presigned URL lets its holder do. */
public enum TransferMethod {
    GET, PUT;

    public static TransferMethod parse(String method) {
        if (method == null || method.isEmpty()) {
            throw MlflowException.missing("method");
        }
        try {
            return valueOf(method.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw MlflowException.invalidParameter("Invalid value '" + method + "' for parameter 'method': "
                    + "expected 'GET' or 'PUT'");
        }
    }
}
