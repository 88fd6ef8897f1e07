package io.quarkflow.mlproject;

import io.quarkflow.mlflow.errors.Python;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * An MLflow project: the {@code MLproject} file of a directory, read as MLflow's
 * {@code mlflow/projects/_project_spec.py} reads it.
 *
 * @param name        the project's {@code name}; null when the file has none (MLflow needs it for Docker and
 *                    Kubernetes runs)
 * @param entryPoints the declared entry points, in file order
 */
public record Project(String name, Environment environment, Map<String, EntryPoint> entryPoints) {

    private static final List<String> SCRIPT_EXTENSIONS = List.of(".py", ".sh");

    public Project {
        Objects.requireNonNull(environment, "environment");
        entryPoints = Collections.unmodifiableMap(new LinkedHashMap<>(entryPoints));
    }

    /**
     * Reads {@code <dir>/MLproject} (file name matched case-insensitively) with YAML safe-load semantics (PyYAML's
     * scalar rules). A directory without one gets MLflow's conventions: no declared entry points, and
     * {@code python_env.yaml}, else {@code conda.yaml}, else no environment file.
     *
     * <ul>
     * <li>At most one of {@code docker_env}, {@code python_env} and {@code conda_env} (MLflow's "Project cannot
     * contain multiple environment fields: {...}").</li>
     * <li>{@code docker_env} needs an {@code image}; {@code volumes} is a list of strings; {@code environment} a list
     * of bare names and {@code [NAME, value]} pairs (MLflow's messages).</li>
     * <li>{@code python_env} and {@code conda_env} name an existing regular file inside {@code dir}; neither '..' nor
     * a symbolic link may lead out of it (MLflow only checks that the path exists).</li>
     * <li>Defaults are rendered as Python's str() renders them: {@code 0.1} → "0.1", {@code 5} → "5",
     * {@code true} → "True", {@code 1.0} → "1.0"; {@code default: null} means required, as in MLflow.</li>
     * </ul>
     *
     * <p>Stricter than MLflow, which loads what it can and fails later (or not at all): an entry point without a
     * string {@code command}, a parameter spec that is neither a type nor a mapping, a list or mapping as a
     * default, an empty {@code docker_env}, {@code python_env} or {@code conda_env}, two files whose names both
     * match "MLproject", and an MLproject that is a link to outside {@code dir} are refused here.
     *
     * @throws ProjectException for an unreadable or invalid project
     */
    public static Project read(Path dir) {
        return ProjectFile.read(dir);
    }

    /**
     * A declared entry point; else, as MLflow does, a script of the project run by its extension:
     * {@code x.py} → {@code python x.py} and {@code x.sh} → {@code bash x.sh} (the file name shell-quoted).
     *
     * <p>Where we differ from MLflow: for {@code .sh}, MLflow writes the launcher's {@code $SHELL} (default bash)
     * into the command; the launcher's shell says nothing about the image the command runs in, and on Kubernetes the
     * command is run without a shell that could expand {@code ${SHELL:-bash}}, so we write {@code bash}. MLflow's
     * {@code .R} convention ({@code Rscript}) is not supported. The script name must be a relative path inside the
     * project (no leading '/' or '-', no '..'), so it cannot turn into an interpreter option such as
     * {@code -c...py}; whether the file exists is not checked here (the project record holds no directory): a
     * missing script fails when the command runs.
     *
     * @throws ProjectException with MLflow's message "Could not find x among entry points [...] or interpret x as a
     *                          runnable script. Supported script file extensions: ['.py', '.sh']"
     */
    public EntryPoint entryPoint(String name) {
        EntryPoint declared = entryPoints.get(Objects.requireNonNull(name, "name"));
        if (declared != null) {
            return declared;
        }
        String interpreter = switch (extension(name)) {
            case ".py" -> "python";
            case ".sh" -> "bash";
            default -> throw new ProjectException("Could not find " + name + " among entry points "
                    + Python.repr(entryPoints.keySet()) + " or interpret " + name + " as a runnable script. "
                    + "Supported script file extensions: " + Python.repr(SCRIPT_EXTENSIONS));
        };
        if (name.startsWith("-") || name.startsWith("/") || (("/" + name + "/").contains("/../"))
                || name.contains("\\") || name.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            throw new ProjectException("The script " + Python.repr(name) + " must be a relative path inside the "
                    + "project, not starting with '-' or '/' and without '..'");
        }
        return new EntryPoint(name, Map.of(), interpreter + " " + Shell.quote(name));
    }

    /** os.path.splitext's extension of the file name: from its last '.', unless the name only starts with dots. */
    private static String extension(String name) {
        String file = name.substring(name.lastIndexOf('/') + 1);
        int dot = file.lastIndexOf('.');
        return dot > 0 && !file.substring(0, dot).chars().allMatch(c -> c == '.') ? file.substring(dot) : "";
    }
}
