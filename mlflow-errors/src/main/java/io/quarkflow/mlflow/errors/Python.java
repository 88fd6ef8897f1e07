package io.quarkflow.mlflow.errors;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Values written as MLflow's server, a Python program, writes them into its messages: json.dumps (sorted keys, no
 * spaces, ASCII only, as mlflow/utils/validation.py's invalid_value calls it) and repr() for its f-strings.
 */
public final class Python {

    private Python() {
    }

    /**
     * Containers nested deeper than this are written {@code [...]} and {@code {...}}: a request body nests as deep
     * as its sender likes, and each level costs stack (a body of 1,000 nested lists overflowed the event loop's).
     */
    static final int MAX_DEPTH = 32;

    /** json.dumps(value, sort_keys=True, separators=(",", ":")) of null, booleans, numbers, strings, lists, maps. */
    public static String json(Object value) {
        return json(value, 0);
    }

    private static String json(Object value, int depth) {
        if (value == null) {
            return "null";
        }
        if (value instanceof Boolean || isInteger(value)) {
            return value.toString();
        }
        if (value instanceof Number number) {
            return jsonFloat(number.doubleValue());
        }
        if (value instanceof List<?> items) {
            return depth >= MAX_DEPTH ? "[...]"
                    : items.stream().map(item -> json(item, depth + 1)).collect(Collectors.joining(",", "[", "]"));
        }
        if (value instanceof Map<?, ?> map) {
            return depth >= MAX_DEPTH ? "{...}" : new TreeMap<>(map).entrySet().stream()
                    .map(entry -> jsonString(String.valueOf(entry.getKey())) + ":" + json(entry.getValue(), depth + 1))
                    .collect(Collectors.joining(",", "{", "}"));
        }
        return jsonString(value.toString());
    }

    /** The name of the value's Python type once json.loads read it: int, float, str, bool, list, dict, NoneType. */
    public static String typeName(Object value) {
        if (value == null) {
            return "NoneType";
        }
        if (value instanceof Boolean) {
            return "bool";
        }
        if (isInteger(value)) {
            return "int";
        }
        if (value instanceof Number) {
            return "float";
        }
        return value instanceof List<?> ? "list" : value instanceof Map<?, ?> ? "dict" : "str";
    }

    /** repr() of a str: 'text', or "text" when it holds a single quote and no double quote, as Python chooses. */
    public static String repr(String text) {
        char quote = text.indexOf('\'') >= 0 && text.indexOf('"') < 0 ? '"' : '\'';
        StringBuilder out = new StringBuilder().append(quote);
        for (char c : text.toCharArray()) {
            switch (c) {
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c == quote) {
                        out.append('\\').append(c);
                    } else if (c < 0x20 || c == 0x7f) {
                        out.append(String.format("\\x%02x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append(quote).toString();
    }

    /** repr() of a list of str: ['a', 'b']. */
    public static String repr(Collection<String> texts) {
        return texts.stream().map(Python::repr).collect(Collectors.joining(", ", "[", "]"));
    }

    /** str() (and repr()) of a float: 0.1, 1.0, -0.0, 1e+20, 1.5e-07, inf, nan. */
    public static String str(double value) {
        if (Double.isNaN(value)) {
            return "nan";
        }
        if (Double.isInfinite(value)) {
            return value > 0 ? "inf" : "-inf";
        }
        if (value == 0) {
            return 1 / value < 0 ? "-0.0" : "0.0";
        }
        double magnitude = Math.abs(value);
        BigDecimal shortest = new BigDecimal(Double.toString(value));
        if (magnitude >= 1e16 || magnitude < 1e-4) {
            BigDecimal digits = shortest.stripTrailingZeros();
            int exponent = digits.precision() - digits.scale() - 1;
            String mantissa = digits.movePointLeft(exponent).toPlainString();
            return mantissa + "e" + (exponent < 0 ? "-" : "+") + String.format("%02d", Math.abs(exponent));
        }
        String plain = shortest.toPlainString();
        return plain.contains(".") ? plain : plain + ".0";
    }

    private static boolean isInteger(Object value) {
        return value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof BigInteger;
    }

    /** json.dumps of a float: as repr(), with NaN and Infinity spelt as json.dumps spells them. */
    private static String jsonFloat(double value) {
        if (Double.isNaN(value)) {
            return "NaN";
        }
        if (Double.isInfinite(value)) {
            return value > 0 ? "Infinity" : "-Infinity";
        }
        return str(value);
    }

    /** json.dumps of a str (ensure_ascii): double quotes, \\uXXXX for control and non-ASCII characters. */
    private static String jsonString(String text) {
        StringBuilder out = new StringBuilder().append('"');
        for (char c : text.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                default -> {
                    if (c < 0x20 || c > 0x7e) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }
}
