package io.quarkflow.mlproject;

import io.quarkflow.mlflow.errors.Python;

import java.math.BigInteger;
import java.util.regex.Pattern;

/**
 * The few Python behaviours MLflow's project code relies on beyond mlflow-errors' {@link Python}: str() of a YAML
 * scalar, float(), urlparse.
 */
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
            return Python.str(number);
        }
        if (scalar instanceof String text) {
            return text;
        }
        throw new IllegalArgumentException("not a YAML scalar: " + scalar);
    }

    /** Whether float(text) succeeds (leading and trailing whitespace allowed, as float() strips it). */
    static boolean isFloat(String text) {
        return FLOAT.matcher(text.strip()).matches();
    }

    /** MLflow's data_utils.is_uri: urlparse(text).scheme is not empty. */
    static boolean hasScheme(String text) {
        return SCHEME.matcher(text).matches();
    }
}
