package io.quarkflow.mlproject;

import java.util.Map;

/**
 * Python's {@code command.format(**params)} for an entry point's command: {@code {name}} is replaced by the
 * parameter's (already quoted) value, {@code {{} and {@code }}} are literal braces. MLflow's templates only ever name
 * parameters, so positional fields ({@code {}}, {@code {0}}), attribute and index lookups ({@code {a.b}},
 * {@code {a[0]}}), conversions ({@code {a!r}}) and format specs ({@code {a:>5}}) are refused rather than
 * interpreted.
 */
final class CommandTemplate {

    private CommandTemplate() {
    }

    static String format(String template, Map<String, String> values) {
        StringBuilder out = new StringBuilder(template.length());
        int i = 0;
        while (i < template.length()) {
            char c = template.charAt(i);
            if (c == '{' && template.startsWith("{", i + 1)) {
                out.append('{');
                i += 2;
            } else if (c == '}' && template.startsWith("}", i + 1)) {
                out.append('}');
                i += 2;
            } else if (c == '}') {
                throw new ProjectException("Single '}' encountered in the entry point's command (write '}}' for a "
                        + "literal brace): " + template);
            } else if (c == '{') {
                int end = template.indexOf('}', i + 1);
                if (end < 0) {
                    throw new ProjectException("Single '{' encountered in the entry point's command (write '{{' for "
                            + "a literal brace): " + template);
                }
                out.append(value(template.substring(i + 1, end), values));
                i = end + 1;
            } else {
                out.append(c);
                i++;
            }
        }
        return out.toString();
    }

    private static String value(String field, Map<String, String> values) {
        if (field.isEmpty() || field.chars().allMatch(Character::isDigit)) {
            throw new ProjectException("The entry point's command has a positional field {" + field
                    + "}; name a declared parameter instead, as in {alpha}");
        }
        if (field.chars().anyMatch(c -> "{.[!:".indexOf(c) >= 0)) {
            throw new ProjectException("The entry point's command has the field {" + field + "}; only plain "
                    + "parameter names are supported (no conversions such as !r, format specs such as :>5, "
                    + "attribute or index lookups)");
        }
        String value = values.get(field);
        if (value == null) {
            throw new ProjectException("The entry point's command refers to {" + field + "}, but '" + field
                    + "' is not a declared parameter of the entry point");
        }
        return value;
    }
}
