package io.quarkflow.tracking.domain;

import java.util.List;
import java.util.stream.Collectors;

/** Values written as Python's repr() writes them, for the messages MLflow's server builds with f-strings. */
public final class PythonRepr {

    private PythonRepr() {
    }

    /** 'text', or "text" when it holds a single quote and no double quote, as Python chooses. */
    public static String of(String text) {
        boolean doubleQuoted = text.indexOf('\'') >= 0 && text.indexOf('"') < 0;
        char quote = doubleQuoted ? '"' : '\'';
        StringBuilder out = new StringBuilder().append(quote);
        for (char c : text.toCharArray()) {
            switch (c) {
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> out.append(c == quote ? "\\" + c : c < 0x20 ? String.format("\\x%02x", (int) c)
                        : String.valueOf(c));
            }
        }
        return out.append(quote).toString();
    }

    /** ['a', 'b'] */
    public static String of(List<String> texts) {
        return texts.stream().map(PythonRepr::of).collect(Collectors.joining(", ", "[", "]"));
    }

    /** A number as MLflow's filter parser echoes the token: 5 for 5.0, 0.5 as 0.5. */
    public static String number(double value) {
        return value == Math.rint(value) && Math.abs(value) < 1e15 ? Long.toString((long) value) : Double.toString(value);
    }
}
