package io.quarkflow.mlproject;

import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.representer.Representer;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/** Reads a project directory as MLflow's {@code _project_spec.load_project} does; see {@link Project#read}. */
final class ProjectFile {

    private ProjectFile() {
    }

    static Project read(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new ProjectException("Project directory " + dir + " does not exist or is not a directory");
        }
        Path file = find(dir);
        Map<?, ?> yaml = file == null ? Map.of() : load(dir, file);
        Map<String, EntryPoint> entryPoints = new LinkedHashMap<>();
        mapping(yaml.get("entry_points"), "entry_points").forEach((key, body) -> {
            String name = text(key, "an entry point name");
            entryPoints.put(name, entryPoint(name, body));
        });
        Object name = yaml.get("name");
        return new Project(name == null ? null : PythonText.str(scalar(name, "the project name")),
                EnvironmentSpec.of(dir, yaml), entryPoints);
    }

    /** The MLproject file, its name matched case-insensitively; refused when two names match or it leaves dir. */
    private static Path find(Path dir) {
        List<Path> found;
        try (Stream<Path> entries = Files.list(dir)) {
            found = entries
                    .filter(entry -> entry.getFileName().toString().toLowerCase(Locale.ROOT).equals("mlproject"))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new ProjectException("Cannot list project directory " + dir + ": " + e.getMessage());
        }
        if (found.size() > 1) {
            throw new ProjectException("Project directory has more than one MLproject file: " + found.stream()
                    .map(path -> path.getFileName().toString()).toList());
        }
        if (found.isEmpty()) {
            return null;
        }
        String fileName = found.get(0).getFileName().toString();
        return ProjectPaths.insideFile(dir, fileName, fileName + " does not exist");
    }

    private static Map<?, ?> load(Path dir, Path file) {
        LoaderOptions options = new LoaderOptions();
        Yaml yaml = new Yaml(new SafeConstructor(options), new Representer(new DumperOptions()), new DumperOptions(),
                options, new PyYamlResolver());
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            Object document = yaml.load(reader);
            return document == null ? Map.of() : mapping(document, "The MLproject file");
        } catch (IOException | YAMLException e) {
            throw new ProjectException("Cannot read " + dir.relativize(file) + ": " + e.getMessage());
        }
    }

    private static EntryPoint entryPoint(String name, Object body) {
        Map<?, ?> yaml = mapping(body, "Entry point '" + name + "'");
        Object command = yaml.get("command");
        if (!(command instanceof String)) {
            throw new ProjectException("Entry point '" + name + "' needs a command (a string)");
        }
        Map<String, Parameter> parameters = new LinkedHashMap<>();
        mapping(yaml.get("parameters"), "The parameters of entry point '" + name + "'").forEach((key, spec) -> {
            String parameter = text(key, "a parameter name of entry point '" + name + "'");
            parameters.put(parameter, parameter(parameter, spec));
        });
        return new EntryPoint(name, parameters, (String) command);
    }

    /** {@code alpha: float}, or {@code alpha: {type: float, default: 0.1}} with type defaulting to string. */
    private static Parameter parameter(String name, Object spec) {
        if (spec instanceof String type) {
            return new Parameter(name, type, null);
        }
        if (!(spec instanceof Map<?, ?> fields)) {
            throw new ProjectException("Parameter '" + name + "' needs a type, as in '" + name + ": float', or a "
                    + "mapping, as in '" + name + ": {type: float, default: 0.1}'");
        }
        Object type = fields.get("type");
        Object value = fields.get("default");
        return new Parameter(name, type == null ? "string" : text(type, "the type of parameter '" + name + "'"),
                value == null ? null : PythonText.str(scalar(value, "the default of parameter '" + name + "'")));
    }

    /** A YAML mapping; null (an empty section) reads as an empty one. */
    static Map<?, ?> mapping(Object value, String what) {
        if (value == null) {
            return Map.of();
        }
        if (value instanceof Map<?, ?> map) {
            return map;
        }
        throw new ProjectException(what + " must be a mapping");
    }

    static String text(Object value, String what) {
        if (value instanceof String string) {
            return string;
        }
        throw new ProjectException("Expected a string for " + what + ", got " + value);
    }

    static Object scalar(Object value, String what) {
        if (value instanceof String || value instanceof Boolean || value instanceof Number) {
            return value;
        }
        throw new ProjectException("Expected a string, number or boolean for " + what + ", got " + value);
    }
}
