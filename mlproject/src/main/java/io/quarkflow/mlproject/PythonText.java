package io.quarkflow.mlproject;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Collection;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** The few Python behaviours MLflow's project code relies on: str() of a YAML scalar, repr(), float(), urlparse. */
final class PythonText {

    private static final String DIGITS = "[0-9](?:_?[0-9])*";

    /** float()'s accepted text after stripping blanks: PEP 515 underscores, exponent, inf/infinity/nan (ASCII only). */
    private static final Pattern FLOAT = Pattern.compile(
            "[+-]?(?:(?:(?:" + DIGITS + ")?\\.(?:" + DIGITS + ")|(?:" + DIGITS + ")\\.?)(?:[eE][+-]?" + DIGITS + ")?"
                    + "|inf|infinity|nan)",
            Pattern.CASE_INSENSITIVE);

    /** urllib.parse.urlparse finds a scheme when the text starts with a letter and scheme characters up to ':'. */
    private static final Pattern SCHEME = Pattern.compile("[A-Za-z][A-Za-z0-9+.-]*:.*", Pattern.DOTALL);

    private PythonText() {
    }

    /** str() of what yaml.safe_load gives for a scalar: True/False, 5, 0.1, 1e+20, inf, nan, or the text itself. */
    static String str(Object scalar) {
        if (scalar instanceof Boolean bool) {
            return bool ? "True" : "False";
        }
        if (scalar instanceof Integer || scalar instanceof Long || scalar instanceof BigInteger) {
            return scalar.toString();
        }
        if (scalar instanceof Double number) {
            return floatRepr(number);
        }
        if (scalar instanceof String text) {
            return text;
        }
        throw new IllegalArgumentException("not a YAML scalar: " + scalar);
    }

    /** repr() of a str: single quotes, or double quotes when the text holds a single quote and no double quote. */
    static String repr(String text) {
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
    static String repr(Collection<String> texts) {
        return texts.stream().map(PythonText::repr).collect(Collectors.joining(", ", "[", "]"));
    }

    /** Whether float(text) succeeds (leading and trailing whitespace allowed, as float() strips it). */
    static boolean isFloat(String text) {
        return FLOAT.matcher(text.strip()).matches();
    }

    /** MLflow's data_utils.is_uri: urlparse(text).scheme is not empty. */
    static boolean hasScheme(String text) {
        return SCHEME.matcher(text).matches();
    }

    /** repr() of a float, which str() uses: 0.1, 1.0, 1e+20, 1.5e-07, inf, nan. */
    private static String floatRepr(double value) {
        if (Double.isNaN(value)) {
            return "nan";
        }
        if (Double.isInfinite(value)) {
            return value > 0 ? "inf" : "-inf";
        }
        double magnitude = Math.abs(value);
        BigDecimal shortest = new BigDecimal(Double.toString(value));
        if (magnitude != 0 && (magnitude >= 1e16 || magnitude < 1e-4)) {
            BigDecimal digits = shortest.stripTrailingZeros();
            int exponent = digits.precision() - digits.scale() - 1;
            String mantissa = digits.movePointLeft(exponent).toPlainString();
            return mantissa + "e" + (exponent < 0 ? "-" : "+") + String.format("%02d", Math.abs(exponent));
        }
        String plain = shortest.toPlainString();
        if (value == 0 && 1 / value < 0) {
            return "-0.0";
        }
        return plain.contains(".") ? plain : plain + ".0";
    }
}
