package io.quarkflow.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A packaged Quarkus service running as a child JVM from its fast-jar, on loopback, with a bounded heap. Its
 * stdout and stderr go, interleaved as they happened, to {@code <log dir>/<name>.log}.
 */
final class ServiceProcess implements AutoCloseable {

    private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(90);
    private static final Duration STOP_GRACE = Duration.ofSeconds(10);
    private static final String HEAP = "-Xmx192m";
    /** Settings a developer's shell may hold for a local suite; the children get only what this suite gives. */
    private static final List<String> INHERITED_PREFIXES_DROPPED = List.of("QUARKUS_", "QUARKFLOW_", "KAFKA_", "MLFLOW_");

    private final String name;
    private final URI uri;
    private final URI healthUri;
    private final Path log;
    private final Process process;

    private ServiceProcess(String name, URI uri, URI healthUri, Path log, Process process) {
        this.name = name;
        this.uri = uri;
        this.healthUri = healthUri;
        this.log = log;
        this.process = process;
    }

    /**
     * Starts the service and returns at once; {@link #awaitHealthy()} waits for it, so that several services boot
     * side by side.
     *
     * @param healthPath answers 200 once the service is ready; on {@code healthPort}, its HTTP or management port
     */
    static ServiceProcess start(String name, Path jar, int port, int healthPort, String healthPath,
                                Map<String, String> env, Path logDir) {
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(name + " is not packaged: " + jar
                    + " is missing (build with ./mvnw -pl e2e -am verify)");
        }
        Path log = logDir.resolve(name + ".log");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder builder = new ProcessBuilder(java, HEAP, "-jar", jar.toString())
                .directory(logDir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        Map<String, String> environment = builder.environment();
        environment.keySet().removeIf(key -> INHERITED_PREFIXES_DROPPED.stream().anyMatch(key::startsWith));
        environment.put("QUARKUS_HTTP_HOST", "127.0.0.1");
        environment.put("QUARKUS_HTTP_PORT", Integer.toString(port));
        // A production jar starts no Dev Services, but nothing here may ever try to reach a container engine.
        environment.put("QUARKUS_DEVSERVICES_ENABLED", "false");
        environment.putAll(env);
        try {
            return new ServiceProcess(name, URI.create("http://127.0.0.1:" + port),
                    URI.create("http://127.0.0.1:" + healthPort + healthPath), log, builder.start());
        } catch (IOException e) {
            throw new UncheckedIOException("Could not start " + name, e);
        }
    }

    String name() {
        return name;
    }

    /** The HTTP port's base URI, without a trailing slash. */
    URI uri() {
        return uri;
    }

    /** Polls the health endpoint until it answers 200; fails with the end of the log if the JVM exits first. */
    void awaitHealthy() {
        HttpClient client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(1))
                .build();
        HttpRequest request = HttpRequest.newBuilder(healthUri).timeout(Duration.ofSeconds(2)).build();
        long deadline = System.nanoTime() + STARTUP_TIMEOUT.toNanos();
        int lastStatus = -1;
        try {
            while (System.nanoTime() < deadline) {
                if (!process.isAlive()) {
                    throw new IllegalStateException(name + " exited with code " + process.exitValue()
                            + " before it became healthy; end of " + log + ":\n" + logTail());
                }
                try {
                    lastStatus = client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
                    if (lastStatus == 200) {
                        return;
                    }
                } catch (IOException notListeningYet) {
                    // Refused or timed out while the JVM boots: poll again.
                }
                Thread.sleep(200);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting for " + name, e);
        }
        throw new IllegalStateException(name + " did not answer 200 on " + healthUri + " within "
                + STARTUP_TIMEOUT.toSeconds() + " s (last status " + lastStatus + "); end of " + log + ":\n" + logTail());
    }

    /** SIGTERM, so that Quarkus shuts down cleanly; killed if it is still there after the grace period. */
    @Override
    public void close() {
        process.destroy();
        try {
            if (process.waitFor(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
                return;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        process.destroyForcibly();
    }

    private String logTail() {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException | UncheckedIOException e) {
            return "(log unreadable: " + e.getMessage() + ")";
        }
    }
}
