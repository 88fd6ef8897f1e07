package io.quarkflow.projects.domain;

import io.quarkflow.mlflow.errors.MlflowException;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A {@code ${...}} in a step's parameter value: {@code ${parameters.<name>}}, a workflow parameter, or one of an
 * earlier step's run: {@code ${steps.<step>.run_id}}, {@code ${steps.<step>.artifact_uri}},
 * {@code ${steps.<step>.params.<key>}}, {@code ${steps.<step>.metrics.<key>}} (its latest value) or
 * {@code ${steps.<step>.tags.<key>}}. {@code $${} is a literal {@code ${}.
 *
 * @param step null for a workflow parameter
 * @param kind {@code parameters}, {@code run_id}, {@code artifact_uri}, {@code params}, {@code metrics} or
 *             {@code tags}
 * @param key  the parameter, param, metric or tag name; null for run_id and artifact_uri
 */
public record StepReference(String step, String kind, String key) {

    private static final Pattern REFERENCE = Pattern.compile("\\$?\\$\\{([^}]*)}");
    private static final Pattern STEP = Pattern.compile("steps\\.([A-Za-z0-9_-]+)\\.(run_id|artifact_uri|"
            + "(params|metrics|tags)\\.(.+))");

    /** The references of one value, in order; a malformed one is the user's 400. */
    public static List<StepReference> in(String value) {
        List<StepReference> found = new ArrayList<>();
        resolve(value, reference -> {
            found.add(reference);
            return "";
        });
        return found;
    }

    /** The value with each reference replaced by what {@code lookup} answers for it. */
    public static String resolve(String value, Function<StepReference, String> lookup) {
        Matcher matcher = REFERENCE.matcher(value);
        StringBuilder resolved = new StringBuilder();
        while (matcher.find()) {
            String replacement = matcher.group().startsWith("$$") ? matcher.group().substring(1)
                    : lookup.apply(parse(matcher.group(1), value));
            matcher.appendReplacement(resolved, Matcher.quoteReplacement(replacement));
        }
        matcher.appendTail(resolved);
        return resolved.toString();
    }

    private static StepReference parse(String expression, String value) {
        if (expression.startsWith("parameters.") && expression.length() > "parameters.".length()) {
            return new StepReference(null, "parameters", expression.substring("parameters.".length()));
        }
        Matcher step = STEP.matcher(expression);
        if (!step.matches()) {
            throw MlflowException.invalidParameter("Invalid reference '${" + expression + "}' in '" + value
                    + "': use ${parameters.<name>}, ${steps.<step>.run_id}, ${steps.<step>.artifact_uri} or "
                    + "${steps.<step>.params|metrics|tags.<key>}.");
        }
        return step.group(3) == null ? new StepReference(step.group(1), step.group(2), null)
                : new StepReference(step.group(1), step.group(3), step.group(4));
    }

    @Override
    public String toString() {
        return "${" + (step == null ? "parameters." + key
                : "steps." + step + "." + kind + (key == null ? "" : "." + key)) + "}";
    }
}
