package io.quarkflow.mlproject;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * An entry point's command with the run's parameter values in it.
 *
 * @param command    the shell command line (every value and extra key shell-quoted), to run with {@code bash -c}
 * @param parameters what MLflow logs as run params: every declared parameter with its value (given or default)
 *                   plus the extra user params, in declaration then insertion order. As MLflow does, each value is
 *                   the shell-quoted form that went into the command ({@code a b} is logged as {@code 'a b'}); most
 *                   values (numbers, names, URIs) need no quotes and are logged as given
 */
public record ResolvedCommand(String command, Map<String, String> parameters) {

    public ResolvedCommand {
        Objects.requireNonNull(command, "command");
        parameters = Collections.unmodifiableMap(new LinkedHashMap<>(parameters));
    }
}
