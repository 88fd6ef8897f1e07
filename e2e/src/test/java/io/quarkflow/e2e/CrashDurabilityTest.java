package io.quarkflow.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Writers log metric points through the gateway while tracking-service is killed (SIGKILL) and started again:
 * every point it acknowledged is there afterwards, and a request it did not acknowledge wrote all its points or none.
 */
@EndToEnd
class CrashDurabilityTest {

    private static final int WRITERS = 16;
    /** Points per log-batch request, one key each, all at the request's step. */
    private static final int POINTS = 20;

    private final QuarkflowSuite suite;
    private final GatewayHttp http;

    CrashDurabilityTest(QuarkflowSuite suite) {
        this.suite = suite;
        http = GatewayHttp.bearer(suite.gateway(), GatewayIdentities.EDITOR_TOKEN);
    }

    @Test
    void aKilledTrackingServiceLosesNoAcknowledgedWrite() throws Exception {
        String experiment = GatewayHttp.json(http.postJson("/api/2.0/mlflow/experiments/create",
                "{\"name\":\"crash-" + System.nanoTime() + "\"}")).path("experiment_id").asText();
        List<String> runs = new ArrayList<>();
        for (int w = 0; w < WRITERS; w++) {
            runs.add(GatewayHttp.json(http.postJson("/api/2.0/mlflow/runs/create",
                    "{\"experiment_id\":\"" + experiment + "\"}")).at("/run/info/run_id").asText());
        }
        Map<String, Set<Long>> acknowledged = new ConcurrentHashMap<>();
        Map<String, Set<Long>> sent = new ConcurrentHashMap<>();
        AtomicBoolean stop = new AtomicBoolean();
        ExecutorService writers = Executors.newFixedThreadPool(WRITERS);
        List<Future<?>> running = new ArrayList<>();
        for (String run : runs) {
            acknowledged.put(run, ConcurrentHashMap.newKeySet());
            sent.put(run, ConcurrentHashMap.newKeySet());
            running.add(writers.submit(() -> write(run, stop, sent.get(run), acknowledged.get(run))));
        }
        try {
            awaitAcknowledged(acknowledged, 100);
            suite.crashAndRestart("tracking-service");
            int beforeRestartDone = total(acknowledged);
            awaitAcknowledged(acknowledged, beforeRestartDone + 100);
        } finally {
            stop.set(true);
            writers.shutdown();
            assertTrue(writers.awaitTermination(2, TimeUnit.MINUTES), "writers stopped");
        }
        for (Future<?> writer : running) {
            writer.get();
        }

        int unacknowledged = 0;
        for (String run : runs) {
            Map<Long, Integer> pointsPerStep = pointsPerStep(run);
            for (long step : acknowledged.get(run)) {
                assertEquals(POINTS, pointsPerStep.getOrDefault(step, 0), "acknowledged step " + step + " of " + run);
            }
            for (long step : sent.get(run)) {
                int points = pointsPerStep.getOrDefault(step, 0);
                assertTrue(points == 0 || points == POINTS, step + " of " + run + " has " + points + " points");
            }
            Set<Long> unanswered = new TreeSet<>(sent.get(run));
            unanswered.removeAll(acknowledged.get(run));
            unacknowledged += unanswered.size();
            assertEquals(Set.of(), new TreeSet<>(pointsPerStep.keySet()).stream()
                    .filter(step -> !sent.get(run).contains(step)).collect(Collectors.toSet()), "no step that was never sent");
        }
        System.out.printf("CrashDurabilityTest: %d requests acknowledged, %d not answered with 200 around the kill%n",
                total(acknowledged), unacknowledged);
    }

    /** log-batch of POINTS points per request, a new step each time, until told to stop. */
    private void write(String run, AtomicBoolean stop, Set<Long> sent, Set<Long> acknowledged) {
        for (long step = 0; !stop.get(); step++) {
            StringBuilder metrics = new StringBuilder();
            for (int k = 0; k < POINTS; k++) {
                metrics.append(k == 0 ? "" : ",").append("{\"key\":\"m").append(k).append("\",\"value\":").append(step)
                        .append(",\"timestamp\":").append(1_700_000_000_000L + step).append(",\"step\":").append(step)
                        .append('}');
            }
            sent.add(step);
            try {
                HttpResponse<String> response = http.postJson("/api/2.0/mlflow/runs/log-batch",
                        "{\"run_id\":\"" + run + "\",\"metrics\":[" + metrics + "]}");
                if (response.statusCode() == 200) {
                    acknowledged.add(step);
                    continue;
                }
            } catch (RuntimeException refused) {
                // The connection broke with the service: not acknowledged.
            }
            pause(); // while the service is down, as a client's retry would
        }
    }

    private static void pause() {
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Steps of the run's history and how many points (keys) each has. */
    private Map<Long, Integer> pointsPerStep(String run) {
        Map<Long, Integer> perStep = new TreeMap<>();
        for (int k = 0; k < POINTS; k++) {
            JsonNode history = GatewayHttp.json(http.get("/api/2.0/mlflow/metrics/get-history?run_id=" + run
                    + "&metric_key=m" + k + "&max_results=100000"));
            history.path("metrics").forEach(point -> perStep.merge(point.path("step").asLong(), 1, Integer::sum));
        }
        return perStep;
    }

    private static void awaitAcknowledged(Map<String, Set<Long>> acknowledged, int count) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
        while (total(acknowledged) < count) {
            assertTrue(System.nanoTime() < deadline, "writes acknowledged: " + total(acknowledged) + " of " + count);
            Thread.sleep(20);
        }
    }

    private static int total(Map<String, Set<Long>> acknowledged) {
        return acknowledged.values().stream().mapToInt(Set::size).sum();
    }
}
