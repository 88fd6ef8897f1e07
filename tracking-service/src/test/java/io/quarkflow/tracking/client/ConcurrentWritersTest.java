package io.quarkflow.tracking.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.net.URL;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Many clients logging to one experiment at once, some of them to one shared run, over plain HTTP: every request
 * succeeds and nothing is lost or duplicated. Prints throughput figures; it does not assert on timing.
 */
@QuarkusTest
class ConcurrentWritersTest {

    private static final int WRITERS = 32;
    private static final int SHARED_WRITERS = 12;
    private static final int ROUNDS = 20;
    private static final long T0 = 1_700_000_000_000L;
    private static final String SHARED_PARAM = "shared.param";
    private static final String SHARED_PARAM_VALUE = "same-for-everyone";
    private static final String IDENTICAL_POINT = "shared.identical";
    private static final String SHARED_STEPS = "shared.steps";

    private final ObjectMapper json = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10))
            .build();
    private final Queue<String> failures = new ConcurrentLinkedQueue<>();
    private final AtomicInteger requests = new AtomicInteger();
    private final AtomicInteger pointsSent = new AtomicInteger();

    @TestHTTPResource("/")
    URL baseUrl;

    @Test
    void concurrentWritersLoseNothing() throws Exception {
        String experimentId = post("experiments/create", Map.of("name", "concurrent-" + UUID.randomUUID()))
                .get("experiment_id").asText();
        String sharedRun = createRun(experimentId, "shared");
        requests.set(0);

        CyclicBarrier start = new CyclicBarrier(WRITERS);
        ExecutorService pool = Executors.newFixedThreadPool(WRITERS);
        List<Future<String>> ownRuns = new ArrayList<>();
        long begin = System.nanoTime();
        try {
            for (int w = 0; w < WRITERS; w++) {
                int writer = w;
                ownRuns.add(pool.submit(() -> {
                    start.await(30, TimeUnit.SECONDS);
                    return write(writer, experimentId, sharedRun);
                }));
            }
            List<String> runIds = new ArrayList<>();
            for (Future<String> run : ownRuns) {
                runIds.add(run.get(5, TimeUnit.MINUTES));
            }
            long elapsedMs = Math.max(1, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - begin));
            System.out.printf("ConcurrentWritersTest: %d writers (%d also on the shared run), %d requests, "
                            + "%d metric points sent, %d ms, %.0f requests/s, %.0f points/s%n",
                    WRITERS, SHARED_WRITERS, requests.get(), pointsSent.get(), elapsedMs,
                    requests.get() * 1000.0 / elapsedMs, pointsSent.get() * 1000.0 / elapsedMs);

            assertEquals(List.of(), List.copyOf(failures), "every write answers 200");
            for (int w = 0; w < WRITERS; w++) {
                verifyOwnRun(w, runIds.get(w));
            }
            verifySharedRun(sharedRun);
        } finally {
            pool.shutdownNow();
        }
    }

    /** One writer: creates its run, then alternates log-batch rounds with single log-metric/log-parameter rounds. */
    private String write(int w, String experimentId, String sharedRun) throws IOException, InterruptedException {
        String runId = createRun(experimentId, "writer-" + w);
        boolean shared = w < SHARED_WRITERS;
        for (int r = 0; r < ROUNDS; r++) {
            if (r % 2 == 0) {
                send("runs/log-batch", Map.of("run_id", runId,
                        "metrics", List.of(metric("m0", ownValue(w, r, 0), r), metric("m1", ownValue(w, r, 1), r)),
                        "params", List.of(param("p" + r, ownParam(w, r))),
                        "tags", List.of(param("t" + r, "tag-" + w + "-" + r))));
                pointsSent.addAndGet(2);
            } else {
                send("runs/log-metric", metricRequest(runId, "m0", ownValue(w, r, 0), r));
                send("runs/log-metric", metricRequest(runId, "m1", ownValue(w, r, 1), r));
                send("runs/log-parameter", Map.of("run_id", runId, "key", "p" + r, "value", ownParam(w, r)));
                send("runs/set-tag", Map.of("run_id", runId, "key", "t" + r, "value", "tag-" + w + "-" + r));
                pointsSent.addAndGet(2);
            }
            if (shared) {
                writeShared(w, r, sharedRun);
            }
        }
        return runId;
    }

    /**
     * On the shared run each writer logs its own keys, and all writers log the same param (same value), the same
     * identical point and the same point per step of another metric.
     */
    private void writeShared(int w, int r, String sharedRun) throws IOException, InterruptedException {
        String loss = "w" + w + ".loss";
        if (r % 2 == 0) {
            send("runs/log-batch", Map.of("run_id", sharedRun,
                    "metrics", List.of(metric(loss, sharedValue(w, r), r), metric(IDENTICAL_POINT, 42.0, 0),
                            metric(SHARED_STEPS, r, r)),
                    "params", List.of(param("w" + w + ".p" + r, "v" + r), param(SHARED_PARAM, SHARED_PARAM_VALUE)),
                    "tags", List.of(param("w" + w + ".tag", "round-" + r))));
        } else {
            send("runs/log-metric", metricRequest(sharedRun, loss, sharedValue(w, r), r));
            send("runs/log-metric", metricRequest(sharedRun, IDENTICAL_POINT, 42.0, 0));
            send("runs/log-metric", metricRequest(sharedRun, SHARED_STEPS, r, r));
            send("runs/log-parameter", Map.of("run_id", sharedRun, "key", "w" + w + ".p" + r, "value", "v" + r));
            send("runs/log-parameter", Map.of("run_id", sharedRun, "key", SHARED_PARAM, "value", SHARED_PARAM_VALUE));
            send("runs/set-tag", Map.of("run_id", sharedRun, "key", "w" + w + ".tag", "value", "round-" + r));
        }
        pointsSent.addAndGet(3);
    }

    private void verifyOwnRun(int w, String runId) throws IOException, InterruptedException {
        JsonNode run = get("runs/get?run_id=" + runId).get("run");
        Map<String, String> expectedParams = new TreeMap<>();
        Map<String, String> expectedTags = new TreeMap<>();
        for (int r = 0; r < ROUNDS; r++) {
            expectedParams.put("p" + r, ownParam(w, r));
            expectedTags.put("t" + r, "tag-" + w + "-" + r);
        }
        expectedTags.put("mlflow.runName", "writer-" + w);
        assertEquals(expectedParams, pairs(run.path("data").path("params")), "params of writer " + w);
        assertEquals(expectedTags, pairs(run.path("data").path("tags")), "tags of writer " + w);
        for (int k = 0; k < 2; k++) {
            List<String> expected = new ArrayList<>();
            for (int r = 0; r < ROUNDS; r++) {
                expected.add(point(ownValue(w, r, k), r));
            }
            assertEquals(expected, history(runId, "m" + k), "history of m" + k + " of writer " + w);
        }
        Map<String, String> latest = latest(run);
        assertEquals(Map.of("m0", point(ownValue(w, ROUNDS - 1, 0), ROUNDS - 1),
                "m1", point(ownValue(w, ROUNDS - 1, 1), ROUNDS - 1)), latest, "latest metrics of writer " + w);
    }

    private void verifySharedRun(String runId) throws IOException, InterruptedException {
        JsonNode run = get("runs/get?run_id=" + runId).get("run");
        Map<String, String> expectedParams = new TreeMap<>();
        Map<String, String> expectedTags = new TreeMap<>();
        Map<String, String> expectedLatest = new TreeMap<>();
        for (int w = 0; w < SHARED_WRITERS; w++) {
            for (int r = 0; r < ROUNDS; r++) {
                expectedParams.put("w" + w + ".p" + r, "v" + r);
            }
            expectedTags.put("w" + w + ".tag", "round-" + (ROUNDS - 1));
            expectedLatest.put("w" + w + ".loss", point(sharedValue(w, ROUNDS - 1), ROUNDS - 1));
        }
        expectedParams.put(SHARED_PARAM, SHARED_PARAM_VALUE);
        expectedTags.put("mlflow.runName", "shared");
        expectedLatest.put(IDENTICAL_POINT, point(42.0, 0));
        expectedLatest.put(SHARED_STEPS, point(ROUNDS - 1, ROUNDS - 1));

        assertEquals(expectedParams, pairs(run.path("data").path("params")), "the union of every writer's params");
        assertEquals(expectedTags, pairs(run.path("data").path("tags")), "each writer's tag holds its last round");
        assertEquals(expectedLatest, latest(run), "latest point of every key");
        for (int w = 0; w < SHARED_WRITERS; w++) {
            List<String> expected = new ArrayList<>();
            for (int r = 0; r < ROUNDS; r++) {
                expected.add(point(sharedValue(w, r), r));
            }
            assertEquals(expected, history(runId, "w" + w + ".loss"), "shared-run history of writer " + w);
        }
        assertEquals(List.of(point(42.0, 0)), history(runId, IDENTICAL_POINT),
                "an identical point logged " + SHARED_WRITERS * ROUNDS + " times is stored once");
        List<String> steps = new ArrayList<>();
        for (int r = 0; r < ROUNDS; r++) {
            steps.add(point(r, r));
        }
        assertEquals(steps, history(runId, SHARED_STEPS), "one point per step, however many writers logged it");
    }

    private static double ownValue(int w, int r, int k) {
        return w * 1000 + r + k / 4.0;
    }

    private static String ownParam(int w, int r) {
        return "writer-" + w + "-round-" + r;
    }

    private static double sharedValue(int w, int r) {
        return 1.0 / (w + 1) + r;
    }

    /** Timestamps are a function of the step so that identical points are identical across writers. */
    private static Map<String, Object> metric(String key, double value, long step) {
        Map<String, Object> metric = new LinkedHashMap<>();
        metric.put("key", key);
        metric.put("value", value);
        metric.put("timestamp", T0 + step);
        metric.put("step", step);
        return metric;
    }

    /**
     * Writers whose requests touch the same rows in opposite orders: a NaN and a 0.0 point at the same step and
     * time (is_nan is part of the history key), and a rename through runs/update racing one through set-tag.
     * Both once deadlocked in PostgreSQL; every request must now succeed.
     */
    @Test
    void opposingWriteOrdersDoNotDeadlock() throws Exception {
        String experimentId = post("experiments/create", Map.of("name", "lock-order-" + UUID.randomUUID()))
                .get("experiment_id").asText();
        String runId = createRun(experimentId, "lock-order");
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> sent = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                long step = i;
                Map<String, Object> nan = metric("k", Double.NaN, step);
                Map<String, Object> zero = metric("k", 0.0, step);
                nan.put("value", "NaN");
                sent.add(pool.submit(() -> send("runs/log-batch", Map.of("run_id", runId, "metrics", List.of(nan, zero)))));
                sent.add(pool.submit(() -> send("runs/log-batch", Map.of("run_id", runId, "metrics", List.of(zero, nan)))));
                sent.add(pool.submit(() -> send("runs/update", Map.of("run_id", runId, "run_name", "by-update-" + step))));
                sent.add(pool.submit(() -> send("runs/set-tag",
                        Map.of("run_id", runId, "key", "mlflow.runName", "value", "by-tag-" + step))));
            }
            for (Future<?> future : sent) {
                future.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(List.of(), List.copyOf(failures));
        assertEquals(200, history(runId, "k").size(), "one NaN and one 0.0 point per step");
    }

    private static Map<String, Object> metricRequest(String runId, String key, double value, long step) {
        Map<String, Object> request = metric(key, value, step);
        request.put("run_id", runId);
        return request;
    }

    private static Map<String, String> param(String key, String value) {
        return Map.of("key", key, "value", value);
    }

    private static String point(double value, long step) {
        return value + "@" + (T0 + step) + "#" + step;
    }

    private static Map<String, String> pairs(JsonNode array) {
        Map<String, String> pairs = new TreeMap<>();
        array.forEach(node -> {
            String previous = pairs.put(node.get("key").asText(), node.get("value").asText());
            assertTrue(previous == null, "key read back twice: " + node);
        });
        return pairs;
    }

    private static Map<String, String> latest(JsonNode run) {
        Map<String, String> latest = new HashMap<>();
        run.path("data").path("metrics").forEach(node ->
                latest.put(node.get("key").asText(), point(node.get("value").asDouble(), node.get("step").asLong())));
        return latest;
    }

    private List<String> history(String runId, String key) throws IOException, InterruptedException {
        JsonNode response = get("metrics/get-history?run_id=" + runId + "&metric_key="
                + URLEncoder.encode(key, StandardCharsets.UTF_8));
        List<String> points = new ArrayList<>();
        response.path("metrics").forEach(node -> {
            assertEquals(T0 + node.get("step").asLong(), node.get("timestamp").asLong(), node::toString);
            points.add(point(node.get("value").asDouble(), node.get("step").asLong()));
        });
        return points;
    }

    private String createRun(String experimentId, String name) throws IOException, InterruptedException {
        JsonNode response = send("runs/create", Map.of("experiment_id", experimentId, "run_name", name));
        return response == null ? "create-failed-" + name : response.path("run").path("info").path("run_id").asText();
    }

    /** Sends a write and records any answer other than 200 instead of failing the writer's thread. */
    private JsonNode send(String path, Object body) throws IOException, InterruptedException {
        requests.incrementAndGet();
        HttpResponse<String> response;
        try {
            response = http.send(HttpRequest.newBuilder(uri(path))
                    .header("Content-Type", "application/json")
                    .timeout(Duration.ofSeconds(60))
                    .POST(HttpRequest.BodyPublishers.ofString(json.writeValueAsString(body)))
                    .build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            failures.add("POST " + path + " -> " + e);
            return null;
        }
        if (response.statusCode() != 200) {
            failures.add("POST " + path + " -> " + response.statusCode() + " " + response.body());
            return null;
        }
        return json.readTree(response.body());
    }

    private JsonNode post(String path, Object body) throws IOException, InterruptedException {
        JsonNode response = send(path, body);
        assertEquals(List.of(), List.copyOf(failures));
        return response;
    }

    private JsonNode get(String pathAndQuery) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri(pathAndQuery)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), () -> "GET " + pathAndQuery + " -> " + response.body());
        return json.readTree(response.body());
    }

    private URI uri(String pathAndQuery) {
        return URI.create("http://" + baseUrl.getHost() + ":" + baseUrl.getPort() + "/api/2.0/mlflow/" + pathAndQuery);
    }
}
