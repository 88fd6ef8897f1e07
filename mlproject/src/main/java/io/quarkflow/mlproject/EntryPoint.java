package io.quarkflow.mlproject;

import io.quarkflow.mlflow.errors.Python;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * An entry point of an MLproject: its declared parameters (in declaration order) and its command, a Python
 * {@code str.format} template such as {@code python train.py --alpha {alpha}}.
 */
public record EntryPoint(String name, Map<String, Parameter> parameters, String command) {

    public EntryPoint {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(command, "command");
        parameters = Collections.unmodifiableMap(new LinkedHashMap<>(parameters));
    }

    /**
     * MLflow's {@code compute_command} and the params it logs: each declared parameter takes the user's value or its
     * default, is checked (see {@link Parameter}), shell-quoted and substituted into the template with Python's
     * {@code str.format} rules ({@code {name}} replaced, {@code {{} and {@code }}} literal braces, a name that is not
     * declared refused); user parameters the entry point does not declare are appended in insertion order as
     * {@code --key value}.
     *
     * <p>Where we differ from MLflow: MLflow quotes only the value of an extra parameter, so a key such as
     * {@code x; id} reached the shell as code; we quote the key too. We refuse NUL characters and empty keys, check
     * float values, and refuse format fields other than a plain parameter name.
     *
     * @throws ProjectException with MLflow's "No value given for missing parameters: 'a', 'b'" when required
     *                          parameters have no value, or naming the parameter or field at fault
     */
    public ResolvedCommand resolve(Map<String, String> userParameters) {
        Map<String, String> given = userParameters == null ? Map.of() : userParameters;
        List<String> missing = parameters.values().stream()
                .filter(parameter -> !given.containsKey(parameter.name()) && parameter.defaultValue() == null)
                .map(parameter -> "'" + parameter.name() + "'")
                .toList();
        if (!missing.isEmpty()) {
            throw new ProjectException("No value given for missing parameters: " + String.join(", ", missing));
        }
        Map<String, String> quoted = new LinkedHashMap<>();
        for (Parameter parameter : parameters.values()) {
            String value = given.containsKey(parameter.name()) ? given.get(parameter.name()) : parameter.defaultValue();
            quoted.put(parameter.name(), Shell.quote(parameter.check(requireValue(parameter.name(), value))));
        }
        StringBuilder line = new StringBuilder(CommandTemplate.format(command, quoted));
        Map<String, String> logged = new LinkedHashMap<>(quoted);
        for (Map.Entry<String, String> extra : extras(given)) {
            String value = Shell.quote(requireValue(extra.getKey(), extra.getValue()));
            line.append(" --").append(Shell.quote(extra.getKey())).append(' ').append(value);
            logged.put(extra.getKey(), value);
        }
        return new ResolvedCommand(line.toString(), logged);
    }

    private List<Map.Entry<String, String>> extras(Map<String, String> given) {
        List<Map.Entry<String, String>> extras = new ArrayList<>();
        for (Map.Entry<String, String> entry : given.entrySet()) {
            if (parameters.containsKey(entry.getKey())) {
                continue;
            }
            String key = entry.getKey();
            if (key == null || key.isEmpty() || key.indexOf('\0') >= 0) {
                throw new ProjectException("Parameter names must be non-empty and free of NUL characters: "
                        + (key == null ? "null" : Python.repr(key)));
            }
            extras.add(entry);
        }
        return extras;
    }

    private static String requireValue(String name, String value) {
        if (value == null) {
            throw new ProjectException("Parameter '" + name + "' has no value");
        }
        if (value.indexOf('\0') >= 0) {
            throw new ProjectException("Parameter '" + name + "' has a NUL character in its value");
        }
        return value;
    }
}
