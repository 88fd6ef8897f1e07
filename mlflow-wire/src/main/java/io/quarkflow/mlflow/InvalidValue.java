package io.quarkflow.mlflow;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkflow.mlflow.errors.MlflowException;
import io.quarkflow.mlflow.errors.Python;

/**
 * MLflow's message for a request field of the wrong type (mlflow/server/handlers.py, _validate_param_against_schema):
 * its invalid_value with a hint that names the value's Python type, and a pointer to the API docs.
 */
final class InvalidValue {

    private static final ObjectMapper PLAIN = new ObjectMapper();

    private InvalidValue() {
    }

    /** @param value as Jackson reports it: a scalar, or a JsonNode for a list or an object */
    static String message(String field, Object value) {
        Object plain = value instanceof JsonNode node ? plain(node) : value;
        return MlflowException.invalidValue(field, plain, " Hint: Value was of type '" + Python.typeName(plain) + "'.")
                .getMessage() + " See the API docs for more information about request parameters.";
    }

    private static Object plain(JsonNode node) {
        try {
            return PLAIN.treeToValue(node, Object.class);
        } catch (JsonProcessingException e) {
            return node.toString();
        }
    }
}
