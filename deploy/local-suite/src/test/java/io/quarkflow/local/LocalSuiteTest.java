package io.quarkflow.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkflow.process.FreePorts;
import io.quarkflow.run.tokens.RunTokens;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the README promises of {@code ./quarkflow start}: one command starts PostgreSQL, Kafka, the services and the
 * gateway; it prints the one URI and the token to use; a run with an artifact can be logged through it and is still
 * there after a restart; without the token nothing gets in; a run's own token (from the generated key) changes only
 * that run; a service killed while clients write comes back by itself with every acknowledged write; a stop (Ctrl-C's
 * SIGTERM) restarts nothing and leaves nothing running.
 */
class LocalSuiteTest {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(120);
    private static final String KAFKA_CONTROLLER_PORT = "QUARKFLOW_KAFKA_CONTROLLER_PORT";
    private static final Pattern URI_LINE = Pattern.compile("export MLFLOW_TRACKING_URI=(\\S+)");
    private static final Pattern TOKEN_LINE = Pattern.compile("export MLFLOW_TRACKING_TOKEN=\\$\\(cat '?([^')]+)'?\\)");

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @TempDir
    Path home;

    @Test
    void startsEverythingBehindTheGatewayKeepsDataAcrossRestartsAndStopsCleanly() throws Exception {
        Map<String, Integer> ports = freePorts();

        String output;
        String experimentId;
        String artifactPath;
        String runTokenKey;
        Process suite = start(ports, "first");
        try {
            output = awaitRunning(suite, "first");
            Matcher uriLine = URI_LINE.matcher(output);
            assertTrue(uriLine.find(), output);
            URI gateway = URI.create(uriLine.group(1));
            assertEquals(ports.get("QUARKFLOW_PORT").intValue(), gateway.getPort(), "the one URI is the gateway's");
            Matcher tokenLine = TOKEN_LINE.matcher(output);
            assertTrue(tokenLine.find(), output);
            Path tokenFile = Path.of(tokenLine.group(1));
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(tokenFile)));
            String token = Files.readString(tokenFile).strip();

            assertEquals(401, send(gateway, null, "GET", "/api/2.0/mlflow/experiments/get?experiment_id=0", null)
                    .statusCode(), "no token, no entry");
            // No way around the gateway: the services' own ports refuse everyone without the suite's internal key,
            // even a caller holding the local token.
            for (String port : List.of("QUARKFLOW_TRACKING_PORT", "QUARKFLOW_ARTIFACT_PORT", "QUARKFLOW_PROJECTS_PORT",
                    "QUARKFLOW_LAUNCHER_PORT")) {
                URI service = URI.create("http://127.0.0.1:" + ports.get(port));
                HttpResponse<String> direct = send(service, token, "POST", "/api/2.0/mlflow/experiments/create",
                        "{\"name\": \"around-the-gateway\"}");
                assertEquals(401, direct.statusCode(), port + ": " + direct.body());
                assertTrue(direct.body().contains("\"error_code\":\"UNAUTHENTICATED\""), direct.body());
            }
            assertEquals(404, send(gateway, token, "GET",
                    "/api/2.0/mlflow/experiments/get-by-name?experiment_name=around-the-gateway", null).statusCode());
            experimentId = field(send(gateway, token, "POST", "/api/2.0/mlflow/experiments/create",
                    "{\"name\": \"local-suite\"}"), "experiment_id");
            HttpResponse<String> run = send(gateway, token, "POST", "/api/2.0/mlflow/runs/create",
                    "{\"experiment_id\": \"" + experimentId + "\"}");
            String artifactUri = field(run, "artifact_uri");
            assertTrue(artifactUri.startsWith("mlflow-artifacts:/"), artifactUri);
            artifactPath = artifactUri.substring("mlflow-artifacts:/".length()) + "/model.txt";
            assertEquals(200, send(gateway, token, "PUT", "/api/2.0/mlflow-artifacts/artifacts/" + artifactPath,
                    "weights").statusCode());
            assertTrue(Files.exists(home.resolve("artifacts").resolve(artifactPath)), "stored in the local directory");

            // The key of the runs' own tokens: owner-only, shared by the launcher and the gateway.
            Path keyFile = home.resolve("run-token-key");
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(keyFile)));
            runTokenKey = Files.readString(keyFile).strip();
            RunTokens runTokens = RunTokens.fromBase64Key(runTokenKey, keyFile.toString());
            String runId = field(run, "run_id");
            String runToken = runTokens.mint(runId);
            assertEquals(200, send(gateway, runToken, "POST", "/api/2.0/mlflow/runs/log-parameter",
                    "{\"run_id\": \"" + runId + "\", \"key\": \"p\", \"value\": \"1\"}").statusCode(),
                    "a run token logs to its run");
            String otherRun = field(send(gateway, token, "POST", "/api/2.0/mlflow/runs/create",
                    "{\"experiment_id\": \"" + experimentId + "\"}"), "run_id");
            assertEquals(403, send(gateway, runToken, "POST", "/api/2.0/mlflow/runs/log-parameter",
                    "{\"run_id\": \"" + otherRun + "\", \"key\": \"p\", \"value\": \"1\"}").statusCode(),
                    "and to no other");

            assertFalse(isFree(ports.get(KAFKA_CONTROLLER_PORT)), "Kafka's controller listens beside Kafka");
            List<ProcessHandle> children = suite.descendants().toList();
            assertTrue(children.size() >= 6, "kafka, tracking-service, artifact-service, projects-service, the "
                    + "launcher and the gateway: " + children);
            stop(suite);
            for (ProcessHandle child : children) {
                assertFalse(child.isAlive(), "still running after the stop: " + child.info().commandLine().orElse("?"));
            }
            for (Map.Entry<String, Integer> port : ports.entrySet()) {
                assertTrue(isFree(port.getValue()), port.getKey() + " is still taken after the stop");
            }
        } finally {
            suite.destroyForcibly();
        }

        Process again = start(ports, "second");
        try {
            String second = awaitRunning(again, "second");
            Matcher uriLine = URI_LINE.matcher(second);
            assertTrue(uriLine.find(), second);
            URI gateway = URI.create(uriLine.group(1));
            String token = Files.readString(home.resolve("token")).strip(); // the same token, reused
            assertEquals(runTokenKey, Files.readString(home.resolve("run-token-key")).strip(), "the same key, reused");
            HttpResponse<String> found = send(gateway, token, "GET",
                    "/api/2.0/mlflow/experiments/get-by-name?experiment_name=local-suite", null);
            assertEquals(experimentId, field(found, "experiment_id"), "the experiment outlived the restart");
            HttpResponse<String> artifact = send(gateway, token, "GET", "/api/2.0/mlflow-artifacts/artifacts/" + artifactPath, null);
            assertEquals(200, artifact.statusCode());
            assertEquals("weights", artifact.body());
            stop(again);
        } finally {
            again.destroyForcibly();
        }
    }

    @Test
    void aKilledServiceComesBackByItselfWithEveryAcknowledgedWrite() throws Exception {
        Map<String, Integer> ports = freePorts();
        Process suite = start(ports, "crash");
        try {
            Matcher uriLine = URI_LINE.matcher(awaitRunning(suite, "crash"));
            assertTrue(uriLine.find());
            URI gateway = URI.create(uriLine.group(1));
            String token = Files.readString(home.resolve("token")).strip();
            String experimentId = field(send(gateway, token, "POST", "/api/2.0/mlflow/experiments/create",
                    "{\"name\": \"crash\"}"), "experiment_id");

            Writers writers = new Writers(gateway, token, experimentId);
            try {
                writers.awaitAcknowledged(30);
                ProcessHandle tracking = trackingService(suite);
                tracking.destroyForcibly(); // kill -9
                int beforeTheKill = writers.runs.size();
                awaitOutput("crash", "tracking-service is back\n");
                writers.awaitAcknowledged(writers.runs.size() + 30);
                assertTrue(beforeTheKill > 0 && writers.runs.size() > beforeTheKill, "writes before and after");
                assertNotEquals(tracking.pid(), trackingService(suite).pid(), "a new tracking-service");
            } finally {
                writers.stop();
            }
            assertTrue(suite.isAlive(), "the suite kept running");
            String output = Files.readString(log("crash"));
            assertTrue(output.contains("tracking-service exited with code 137; restarting in 1 s (restart 1)\n"),
                    output);

            for (String runId : writers.runs) {
                HttpResponse<String> run = send(gateway, token, "GET", "/api/2.0/mlflow/runs/get?run_id=" + runId,
                        null);
                assertEquals(200, run.statusCode(), "acknowledged run " + runId + " is there: " + run.body());
                if (writers.metrics.contains(runId)) {
                    assertTrue(run.body().contains("\"key\":\"loss\""), "acknowledged metric: " + run.body());
                }
            }
            System.out.printf("crash test: %d runs and %d metrics acknowledged, %d writes refused or failed%n",
                    writers.runs.size(), writers.metrics.size(), writers.failures.get());

            List<ProcessHandle> children = suite.descendants().toList();
            stop(suite);
            for (ProcessHandle child : children) {
                assertFalse(child.isAlive(), "still running after the stop: " + child.info().commandLine().orElse("?"));
            }
            String stopped = Files.readString(log("crash"));
            assertEquals(1, stopped.split("restarting in", -1).length - 1, "no restart during the stop:\n" + stopped);
        } finally {
            suite.destroyForcibly();
        }
    }

    /** Threads that create runs and log a metric to each through the gateway, and remember what was answered 200. */
    private final class Writers {

        private static final int THREADS = 2;

        final Set<String> runs = ConcurrentHashMap.newKeySet();
        final Set<String> metrics = ConcurrentHashMap.newKeySet();
        final AtomicInteger failures = new AtomicInteger();
        private final ExecutorService threads = Executors.newFixedThreadPool(THREADS);
        private final List<Future<?>> loops = new ArrayList<>();
        private volatile boolean stopping;

        Writers(URI gateway, String token, String experimentId) {
            for (int i = 0; i < THREADS; i++) {
                loops.add(threads.submit(() -> write(gateway, token, experimentId)));
            }
        }

        private Void write(URI gateway, String token, String experimentId) throws InterruptedException {
            while (!stopping) {
                try {
                    HttpResponse<String> created = send(gateway, token, "POST", "/api/2.0/mlflow/runs/create",
                            "{\"experiment_id\": \"" + experimentId + "\"}");
                    if (created.statusCode() != 200) {
                        failed();
                        continue;
                    }
                    String runId = value(created.body(), "run_id");
                    runs.add(runId);
                    HttpResponse<String> logged = send(gateway, token, "POST", "/api/2.0/mlflow/runs/log-metric",
                            "{\"run_id\": \"" + runId + "\", \"key\": \"loss\", \"value\": 0.5, "
                                    + "\"timestamp\": " + System.currentTimeMillis() + "}");
                    if (logged.statusCode() == 200) {
                        metrics.add(runId);
                    } else {
                        failed();
                    }
                } catch (IOException refused) {
                    failed();
                }
            }
            return null;
        }

        /** Counts a write that was not acknowledged, and waits a little instead of flooding a restarting suite. */
        private void failed() throws InterruptedException {
            failures.incrementAndGet();
            Thread.sleep(100);
        }

        void awaitAcknowledged(int count) throws Exception {
            long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
            while (runs.size() < count) {
                for (Future<?> loop : loops) {
                    if (loop.isDone()) {
                        loop.get(); // a writer that failed says why
                    }
                }
                assertTrue(System.nanoTime() < deadline, "only " + runs.size() + " runs acknowledged");
                Thread.sleep(50);
            }
        }

        void stop() throws InterruptedException {
            stopping = true;
            threads.shutdown();
            assertTrue(threads.awaitTermination(60, TimeUnit.SECONDS), "the writers finished");
        }
    }

    /** The JVM of tracking-service among the suite's children. */
    private static ProcessHandle trackingService(Process suite) {
        return suite.descendants()
                .filter(child -> child.info().arguments().map(List::of).orElse(List.of()).stream()
                        .anyMatch(argument -> argument.contains("tracking-service")))
                .findFirst().orElseThrow(() -> new AssertionError("no tracking-service among the suite's children"));
    }

    private void awaitOutput(String name, String text) throws Exception {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (!Files.readString(log(name)).contains(text)) {
            assertTrue(System.nanoTime() < deadline, "no \"" + text + "\" in:\n" + Files.readString(log(name)));
            Thread.sleep(250);
        }
    }

    /**
     * A free port for every port setting of the suite. Kafka's controller's is left to its default, the Kafka port
     * + 1 (so the Kafka port is one with a free port after it): the map names it for the checks, {@link #start} does
     * not set it.
     */
    private static Map<String, Integer> freePorts() {
        FreePorts free = new FreePorts();
        Map<String, Integer> ports = new HashMap<>();
        for (String name : List.of("QUARKFLOW_PORT", "QUARKFLOW_TRACKING_PORT", "QUARKFLOW_ARTIFACT_PORT",
                "QUARKFLOW_PROJECTS_PORT", "QUARKFLOW_LAUNCHER_PORT", "QUARKFLOW_GATEWAY_MANAGEMENT_PORT",
                "QUARKFLOW_DB_PORT")) {
            ports.put(name, free.next());
        }
        int kafka = free.next();
        while (ports.containsValue(kafka + 1) || !isFree(kafka + 1)) {
            kafka = free.next();
        }
        ports.put("QUARKFLOW_KAFKA_PORT", kafka);
        ports.put(KAFKA_CONTROLLER_PORT, kafka + 1);
        return ports;
    }

    private Process start(Map<String, Integer> ports, String name) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder builder = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                "-Dquarkflow.repo=" + System.getProperty("quarkflow.repo"), LocalSuite.class.getName())
                .redirectErrorStream(true)
                .redirectOutput(log(name).toFile());
        Map<String, String> env = builder.environment();
        env.keySet().removeIf(key -> key.startsWith("QUARKFLOW_")); // nothing from the developer's shell
        env.put("QUARKFLOW_HOME", home.toString());
        ports.forEach((key, port) -> {
            if (!key.equals(KAFKA_CONTROLLER_PORT)) {
                env.put(key, Integer.toString(port));
            }
        });
        env.put("QUARKFLOW_JAVA_OPTS", "-Xmx128m");
        return builder.start();
    }

    /** The launcher's output once it says it runs; fails with the output if it exits or takes too long. */
    private String awaitRunning(Process suite, String name) throws Exception {
        Path log = log(name);
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            String output = Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
            if (output.contains("Press Ctrl-C to stop.")) {
                return output;
            }
            if (!suite.isAlive()) {
                throw new AssertionError("the suite exited with " + suite.exitValue() + ":\n" + output);
            }
            Thread.sleep(250);
        }
        throw new AssertionError("the suite did not start within " + START_TIMEOUT + ":\n" + Files.readString(log));
    }

    /** The launcher's output, kept in target/ to read when the test fails. */
    private static Path log(String name) throws IOException {
        return Files.createDirectories(Path.of("target", "local-suite-test")).resolve(name + ".log");
    }

    /** SIGTERM, as Ctrl-C's shutdown hook sees it. */
    private static void stop(Process suite) throws InterruptedException {
        suite.destroy();
        assertTrue(suite.waitFor(60, TimeUnit.SECONDS), "the suite stopped");
    }

    private HttpResponse<String> send(URI gateway, String token, String method, String path, String body)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(gateway.resolve(path)).timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        if ("POST".equals(method)) {
            request.header("Content-Type", "application/json");
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A string field of a JSON answer, found by name (the answers here are small and flat enough). */
    private static String field(HttpResponse<String> response, String name) {
        assertEquals(200, response.statusCode(), response.body());
        return value(response.body(), name);
    }

    private static String value(String json, String name) {
        Matcher value = Pattern.compile("\"" + name + "\":\"([^\"]*)\"").matcher(json);
        assertTrue(value.find(), name + " in " + json);
        return value.group(1);
    }

    private static boolean isFree(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress("127.0.0.1", port));
            return true;
        } catch (IOException taken) {
            return false;
        }
    }
}
