package io.quarkflow.mlproject;

import io.quarkflow.mlflow.errors.Python;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The environment sections of an MLproject as MLflow's {@code load_project} validates them. */
final class EnvironmentSpec {

    private static final List<String> FIELDS = List.of("docker_env", "python_env", "conda_env");
    private static final String INVALID = "Project configuration (MLproject file) was invalid: ";

    private EnvironmentSpec() {
    }

    static Environment of(Path dir, Map<?, ?> yaml) {
        List<String> present = yaml.keySet().stream().filter(FIELDS::contains).map(String.class::cast).toList();
        if (present.size() > 1) {
            throw new ProjectException("Project cannot contain multiple environment fields: "
                    + "{" + String.join(", ", present.stream().map(Python::repr).toList()) + "}");
        }
        if (yaml.containsKey("docker_env")) {
            return docker(yaml.get("docker_env"));
        }
        if (yaml.containsKey("python_env")) {
            String file = envFile(yaml.get("python_env"), "python_env");
            return new Environment.Python(ProjectPaths.relative(dir, ProjectPaths.insideFile(dir, file,
                    "Project specified python_env file " + dir + "/" + file + ", but no such file was found.")));
        }
        if (yaml.containsKey("conda_env")) {
            String file = envFile(yaml.get("conda_env"), "conda_env");
            return new Environment.Conda(ProjectPaths.relative(dir, ProjectPaths.insideFile(dir, file,
                    "Project specified conda environment file " + dir + "/" + file + ", but no such file was found.")));
        }
        if (Files.exists(dir.resolve("python_env.yaml"))) {
            return new Environment.Python(conventionFile(dir, "python_env.yaml"));
        }
        if (Files.exists(dir.resolve("conda.yaml"))) {
            return new Environment.Conda(conventionFile(dir, "conda.yaml"));
        }
        return new Environment.Local();
    }

    /** A convention file that exists; still refused when it is a link to outside the project or not a file. */
    private static String conventionFile(Path dir, String name) {
        return ProjectPaths.relative(dir, ProjectPaths.insideFile(dir, name, name + " does not exist"));
    }

    private static String envFile(Object value, String field) {
        if (!(value instanceof String file) || file.isEmpty()) {
            throw new ProjectException(INVALID + field + " must name a file in the project directory, as in '"
                    + field + ": " + field + ".yaml'");
        }
        return file;
    }

    private static Environment.Docker docker(Object section) {
        Map<?, ?> docker = section instanceof Map<?, ?> map ? map : Map.of();
        if (!(docker.get("image") instanceof String image) || image.isEmpty()) {
            throw new ProjectException(INVALID + "Docker environment specified but no image attribute found.");
        }
        return new Environment.Docker(image, volumes(docker.get("volumes")), variables(docker.get("environment")));
    }

    private static List<String> volumes(Object value) {
        if (value == null) {
            return List.of();
        }
        if (value instanceof List<?> list && list.stream().allMatch(EnvironmentSpec::isPlainText)) {
            return list.stream().map(String.class::cast).toList();
        }
        throw new ProjectException(INVALID + "Docker volumes must be a list of strings, "
                + "e.g.: '[\"/path1/:/path1\", \"/path2/:/path2\"])");
    }

    /** {@code [[NAME, value], NAME]}: a pair sets a variable, a bare name copies it from the launcher. */
    private static List<Environment.EnvVar> variables(Object value) {
        if (value == null) {
            return List.of();
        }
        if (!(value instanceof List<?> entries)) {
            throw invalidEnvironment();
        }
        List<Environment.EnvVar> variables = new ArrayList<>();
        for (Object entry : entries) {
            if (entry instanceof String name && isName(name)) {
                variables.add(new Environment.EnvVar(name, null));
            } else if (entry instanceof List<?> pair && pair.size() == 2 && pair.get(0) instanceof String name
                    && isName(name) && isValue(pair.get(1))) {
                variables.add(new Environment.EnvVar(name, PythonText.str(pair.get(1))));
            } else {
                throw invalidEnvironment();
            }
        }
        return variables;
    }

    private static ProjectException invalidEnvironment() {
        return new ProjectException(INVALID + "environment must be a list containing either strings (to copy "
                + "environment variables from host system) or lists of string pairs (to define new "
                + "environment variables).E.g.: '[[\"NEW_VAR\", \"new_value\"], \"VAR_TO_COPY_FROM_HOST\"])");
    }

    private static boolean isName(String name) {
        return !name.isEmpty() && name.indexOf('=') < 0 && isPlainText(name);
    }

    private static boolean isValue(Object value) {
        return value instanceof Boolean || value instanceof Number
                || value instanceof String text && text.indexOf('\0') < 0;
    }

    /** A string without NUL or other control characters, which no process argument or variable can carry safely. */
    private static boolean isPlainText(Object value) {
        return value instanceof String text && text.chars().noneMatch(c -> c < 0x20 || c == 0x7f);
    }
}
