package io.quarkflow.cli;

import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * Where the server is and who we are, from the variables MLflow's client reads: MLFLOW_TRACKING_URI, and
 * MLFLOW_TRACKING_USERNAME/PASSWORD (HTTP Basic, which wins as in MLflow) or MLFLOW_TRACKING_TOKEN (bearer).
 * Without credentials, the token a local suite wrote ({@code ${QUARKFLOW_HOME:-.quarkflow}/token}) is used, but
 * only for a server on this machine: it must never leave it.
 *
 * @param server        the gateway, without a trailing slash
 * @param authorization the Authorization header, or null for none
 * @param tokenFile     where the token came from when it was discovered, else null
 */
record Connection(URI server, String authorization, Path tokenFile) {

    static Connection fromEnvironment(Map<String, String> env, Path repo, Path workingDirectory) {
        String given = env.getOrDefault("MLFLOW_TRACKING_URI", "");
        String address = given.isBlank()
                ? "http://127.0.0.1:" + env.getOrDefault("QUARKFLOW_PORT", "5000")
                : given.strip().replaceAll("/+$", "");
        URI server;
        try {
            server = URI.create(address);
        } catch (IllegalArgumentException e) {
            throw new Arguments.UsageException("MLFLOW_TRACKING_URI is no URL: " + address);
        }
        if (!("http".equals(server.getScheme()) || "https".equals(server.getScheme())) || server.getHost() == null) {
            throw new Arguments.UsageException(
                    "MLFLOW_TRACKING_URI must name the server's gateway as http(s)://host:port, not " + address);
        }
        String user = env.get("MLFLOW_TRACKING_USERNAME");
        String password = env.get("MLFLOW_TRACKING_PASSWORD");
        if (notEmpty(user) && notEmpty(password)) {
            String pair = user + ":" + password;
            return new Connection(server,
                    "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8)), null);
        }
        if (notEmpty(env.get("MLFLOW_TRACKING_TOKEN"))) {
            return new Connection(server, "Bearer " + env.get("MLFLOW_TRACKING_TOKEN"), null);
        }
        if (isLoopback(server.getHost())) {
            for (Path file : tokenFiles(env.get("QUARKFLOW_HOME"), repo, workingDirectory)) {
                String token = read(file);
                if (notEmpty(token)) {
                    return new Connection(server, "Bearer " + token, file);
                }
            }
        }
        return new Connection(server, null, null);
    }

    /**
     * {@code ./quarkflow start} keeps its home relative to the directory it was started in; usually that is the
     * repository, which the script names, but look in the current directory first.
     */
    private static List<Path> tokenFiles(String home, Path repo, Path workingDirectory) {
        Path relative = Path.of(notEmpty(home) ? home : ".quarkflow");
        if (relative.isAbsolute()) {
            return List.of(relative.resolve("token"));
        }
        return repo == null
                ? List.of(workingDirectory.resolve(relative).resolve("token"))
                : List.of(workingDirectory.resolve(relative).resolve("token"), repo.resolve(relative).resolve("token"));
    }

    private static String read(Path file) {
        try {
            return Files.isRegularFile(file) ? Files.readString(file, StandardCharsets.UTF_8).strip() : null;
        } catch (IOException e) {
            return null; // not ours to read: go without
        }
    }

    private static boolean isLoopback(String host) {
        if (host.equalsIgnoreCase("localhost")) {
            return true;
        }
        String literal = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
        if (!literal.matches("[0-9.]+|[0-9a-fA-F:]+")) {
            return false; // a name: no lookup, it could resolve anywhere
        }
        try {
            return InetAddress.getByName(literal).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    private static boolean notEmpty(String value) {
        return value != null && !value.isEmpty();
    }
}
