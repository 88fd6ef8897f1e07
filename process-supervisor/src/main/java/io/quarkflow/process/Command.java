package io.quarkflow.process;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What to run as a child process, and how; {@link ChildProcess#start(Command)} runs it. Each {@code with...}
 * method returns a changed copy.
 *
 * @param name            names the child in messages
 * @param line            the program and its arguments
 * @param environment     variables set for the child, on top of the ones it inherits
 * @param droppedPrefixes inherited variables whose names start with one of these are not passed on; the ones in
 *                        {@code environment} always are
 * @param directory       the working directory, or null for this JVM's
 * @param log             receives the child's stdout and stderr, interleaved as they happen; null shares this JVM's
 *                        console (stdin too)
 */
public record Command(String name, List<String> line, Map<String, String> environment,
                      List<String> droppedPrefixes, Path directory, Path log) {

    public Command {
        Objects.requireNonNull(name, "name");
        line = List.copyOf(line);
        if (line.isEmpty()) {
            throw new IllegalArgumentException(name + " has an empty command line");
        }
        environment = Map.copyOf(environment);
        droppedPrefixes = List.copyOf(droppedPrefixes);
    }

    /** The command line run as it is: the inherited environment, this JVM's directory and console. */
    public static Command of(String name, List<String> line) {
        return new Command(name, line, Map.of(), List.of(), null, null);
    }

    /** Adds these variables, replacing any given before under the same name. */
    public Command withEnvironment(Map<String, String> variables) {
        Map<String, String> all = new HashMap<>(environment);
        all.putAll(variables);
        return new Command(name, line, all, droppedPrefixes, directory, log);
    }

    /** Keeps inherited variables whose names start with one of these prefixes from the child. */
    public Command withoutInherited(List<String> prefixes) {
        List<String> all = new ArrayList<>(droppedPrefixes);
        all.addAll(prefixes);
        return new Command(name, line, environment, all, directory, log);
    }

    public Command withDirectory(Path workingDirectory) {
        return new Command(name, line, environment, droppedPrefixes, workingDirectory, log);
    }

    /** Sends the output to this file, replacing what it held; the child then reads no input. */
    public Command withLog(Path file) {
        return new Command(name, line, environment, droppedPrefixes, directory, file);
    }
}
