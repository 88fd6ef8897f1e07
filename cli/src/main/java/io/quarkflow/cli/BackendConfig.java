package io.quarkflow.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * {@code -c/--backend-config} as MLflow takes it (a JSON object, or the path of a file ending in .json) and as
 * clients/python's backend passes it on: MLflow's own keys and those Quarkflow has no use for are dropped,
 * {@code kube-job-template-path} is read here and sent as {@code kube-job-template}, {@code backend} says which
 * backend runs it (a {@code -b} wins).
 */
final class BackendConfig {

    /** Keys MLflow adds for its own backends. */
    private static final Set<String> MLFLOW_KEYS = Set.of("ENV_MANAGER", "SYNCHRONOUS", "DOCKER_ARGS",
            "STORAGE_DIR", "build_image", "docker_auth", "_mlflow_local_backend_run_id");

    private BackendConfig() {
    }

    /** The option's value as a map; relative paths from {@code base}. */
    static Map<String, Object> parse(String value, Path base) {
        String text = value;
        if (value.endsWith(".json")) {
            Path file = base.resolve(value);
            try {
                text = Files.readString(file, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new Arguments.UsageException("Cannot read the backend config " + file + ": " + e);
            }
        }
        try {
            Map<String, Object> config = ProjectsApi.JSON.readValue(text, new TypeReference<>() { });
            if (config == null) {
                throw new Arguments.UsageException("The backend config must be a JSON object, not null");
            }
            return config;
        } catch (JsonProcessingException e) {
            throw new Arguments.UsageException("Invalid backend config JSON. Parse error: " + e.getOriginalMessage());
        }
    }

    /** What the server is sent: a copy without MLflow's keys, the Job template read. */
    static Map<String, Object> forServer(Map<String, Object> config, Path base) {
        Map<String, Object> server = new LinkedHashMap<>(config);
        server.keySet().removeAll(MLFLOW_KEYS);
        server.remove("repository-uri"); // MLflow pushes images there; Quarkflow builds none
        server.remove("kube-context"); // the server's launcher talks to its own cluster
        Object templatePath = server.remove("kube-job-template-path");
        if (templatePath != null) {
            Path template = base.resolve(templatePath.toString());
            try {
                server.put("kube-job-template", Files.readString(template, StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new Arguments.UsageException("Cannot read the Job template " + template + ": " + e);
            }
        }
        return server;
    }
}
