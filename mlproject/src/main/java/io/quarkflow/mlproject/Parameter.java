package io.quarkflow.mlproject;

import io.quarkflow.mlflow.errors.Python;
import java.util.Objects;

/**
 * A parameter an entry point declares: {@code alpha: float} (no default, so required) or
 * {@code alpha: {type: float, default: 0.1}} ({@code type} defaults to {@code string}).
 *
 * <p>MLflow documents the types {@code string}, {@code float}, {@code path} and {@code uri}; any other type (real
 * projects use {@code int}) is accepted and passed through like a string, as MLflow does.
 *
 * @param defaultValue the default as Python's str() renders the YAML value ({@code 0.1}, {@code 5},
 *                     {@code True}); null when the parameter is required
 */
public record Parameter(String name, String type, String defaultValue) {

    public Parameter {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
    }

    /**
     * The value this parameter takes for a run, checked as its type requires. MLflow checks only {@code uri} (it
     * must have a scheme); we also check {@code float} as Python's float() reads it. A {@code path} passes through
     * as given: no file system look-up and no download here (MLflow makes a local path absolute and downloads a
     * remote one into its storage directory only when it builds the command to run).
     */
    String check(String value) {
        if (type.equals("float") && !PythonText.isFloat(value)) {
            throw new ProjectException("Parameter '" + name + "' is of type float, but its value "
                    + Python.repr(value) + " is not a number");
        }
        if (type.equals("uri") && !PythonText.hasScheme(value)) {
            throw new ProjectException("Expected URI for parameter " + name + " but got " + value);
        }
        return value;
    }
}
