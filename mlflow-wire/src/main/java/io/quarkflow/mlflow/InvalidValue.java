package io.quarkflow.mlflow;

import com.fasterxml.jackson.databind.JsonNode;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * MLflow's message for a request field of the wrong type (mlflow/server/handlers.py, _validate_param_against_schema):
 * the value as Python's json.dumps writes it (sorted keys, no spaces, ASCII), and its Python type.
 */
final class InvalidValue {

    private InvalidValue() {
    }

    static String message(String path, Object value) {
        return "Invalid value " + json(value) + " for parameter '" + path + "' supplied:  Hint: Value was of type '"
                + pythonType(value) + "'. See the API docs for more information about request parameters.";
    }

    static String pythonType(Object value) {
        if (value instanceof JsonNode node) {
            return switch (node.getNodeType()) {
                case ARRAY -> "list";
                case OBJECT -> "dict";
                case BOOLEAN -> "bool";
                case NUMBER -> node.isIntegralNumber() ? "int" : "float";
                case STRING -> "str";
                default -> "NoneType";
            };
        }
        if (value instanceof Integer || value instanceof Long || value instanceof BigInteger || value instanceof Short) {
            return "int";
        }
        if (value instanceof Number) {
            return "float";
        }
        if (value instanceof Boolean) {
            return "bool";
        }
        return value == null ? "NoneType" : "str";
    }

    static String json(Object value) {
        if (value instanceof JsonNode node) {
            return node(node);
        }
        if (value == null) {
            return "null";
        }
        if (value instanceof Boolean || value instanceof Integer || value instanceof Long || value instanceof BigInteger
                || value instanceof Short) {
            return value.toString();
        }
        if (value instanceof Number number) {
            return pythonFloat(number.doubleValue());
        }
        return string(value.toString());
    }

    private static String node(JsonNode node) {
        if (node.isArray()) {
            List<String> items = new ArrayList<>();
            node.forEach(item -> items.add(node(item)));
            return "[" + String.join(",", items) + "]";
        }
        if (node.isObject()) {
            List<String> fields = new ArrayList<>();
            List<Map.Entry<String, JsonNode>> entries = new ArrayList<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                entries.add(it.next());
            }
            entries.sort(Map.Entry.comparingByKey());
            entries.forEach(entry -> fields.add(string(entry.getKey()) + ":" + node(entry.getValue())));
            return "{" + String.join(",", fields) + "}";
        }
        if (node.isTextual()) {
            return string(node.textValue());
        }
        if (node.isFloatingPointNumber()) {
            return pythonFloat(node.doubleValue());
        }
        return node.isNull() ? "null" : node.asText();
    }

    /** repr() of a Python float: 9.0, 1e+20, 1.5e-07, nan as NaN and inf as Infinity (json.dumps's spelling). */
    private static String pythonFloat(double value) {
        if (Double.isNaN(value)) {
            return "NaN";
        }
        if (Double.isInfinite(value)) {
            return value > 0 ? "Infinity" : "-Infinity";
        }
        double magnitude = Math.abs(value);
        if (magnitude != 0 && (magnitude >= 1e16 || magnitude < 1e-4)) {
            String scientific = new BigDecimal(Double.toString(value)).stripTrailingZeros().toString()
                    .replace("E", "e");
            String mantissa = scientific.substring(0, scientific.indexOf('e'));
            String exponent = scientific.substring(scientific.indexOf('e') + 1);
            int exp = Integer.parseInt(exponent.replace("+", ""));
            return mantissa + "e" + (exp < 0 ? "-" : "+") + (Math.abs(exp) < 10 ? "0" : "") + Math.abs(exp);
        }
        String plain = new BigDecimal(Double.toString(value)).toPlainString();
        return plain.contains(".") ? plain : plain + ".0";
    }

    private static String string(String text) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : text.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> out.append(c < 0x20 || c > 0x7e ? String.format("\\u%04x", (int) c) : String.valueOf(c));
            }
        }
        return out.append('"').toString();
    }
}
