package io.quarkflow.launcher.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.quarkflow.launcher.domain.LaunchRefused;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * MLflow's {@code virtualenv} environment: {@code python3 -m venv <workdir>/venv}, then pip installs the
 * python_env file's {@code build_dependencies} and {@code dependencies}. pip uses the machine's own configuration
 * (index, proxy, certificates): the launcher adds no network options. The python_env's {@code python} version is
 * not provisioned: the machine's python3 is used. Blocking.
 */
final class PythonEnvironment {

    private static final YAMLMapper YAML = new YAMLMapper();

    private PythonEnvironment() {
    }

    /** Creates the venv and returns the variables that put it first on the PATH. */
    static Map<String, String> create(Path project, String pythonEnvFile, Path workDir) {
        List<String> packages = packages(project, pythonEnvFile);
        Path venv = workDir.resolve("venv");
        Path log = workDir.resolve("venv.log");
        Steps.run("python3 -m venv", List.of("python3", "-m", "venv", venv.toString()), workDir, Map.of(), log);
        if (!packages.isEmpty()) {
            List<String> line = new ArrayList<>(List.of(venv.resolve("bin/pip").toString(), "install", "--quiet",
                    "--"));
            line.addAll(packages);
            Steps.run("pip install", line, project, Map.of(), workDir.resolve("pip.log"));
        }
        return Map.of("PATH", venv.resolve("bin") + ":" + System.getenv().getOrDefault("PATH", "/usr/bin:/bin"),
                "VIRTUAL_ENV", venv.toString());
    }

    static List<String> packages(Path project, String pythonEnvFile) {
        if (pythonEnvFile == null || pythonEnvFile.isBlank()) {
            return List.of();
        }
        Path file = project.resolve(pythonEnvFile).normalize();
        if (!file.startsWith(project) || !Files.isRegularFile(file)) {
            throw new LaunchRefused("The python_env file '" + pythonEnvFile + "' is not a file of the project");
        }
        JsonNode environment;
        try {
            environment = YAML.readTree(file.toFile());
        } catch (IOException e) {
            throw new LaunchRefused("The python_env file '" + pythonEnvFile + "' is not valid YAML: "
                    + e.getMessage(), e);
        }
        List<String> packages = new ArrayList<>();
        for (String key : List.of("build_dependencies", "dependencies")) {
            JsonNode list = environment == null ? null : environment.get(key);
            if (list != null && list.isArray()) {
                list.forEach(item -> packages.add(item.asText()));
            }
        }
        return packages;
    }
}
