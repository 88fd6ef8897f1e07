package io.quarkflow.tracking.api;

import io.quarkflow.events.Topics;
import io.quarkflow.mlflow.RequestIds;
import io.quarkflow.tracking.api.RunEventsConsumer.Received;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.jboss.logmanager.ExtLogRecord;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import static io.quarkflow.tracking.api.RunEventsConsumer.about;
import static io.quarkflow.tracking.api.TrackingApi.createExperiment;
import static io.quarkflow.tracking.api.TrackingApi.createRun;
import static io.quarkflow.tracking.api.TrackingApi.logBatch;
import static io.quarkflow.tracking.api.TrackingApi.metric;
import static io.quarkflow.tracking.api.TrackingApi.post;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What operators see of tracking-service: its business counters and the outbox's on /q/metrics, its API description
 * on /q/openapi, the gateway's request id in the log lines of a request, and (tracing off, the default) no trace
 * context on its events.
 */
@QuarkusTest
class ObservabilityTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final String EVENTS_PUBLISHED = "quarkflow_events_published_total";
    private static final String RUN_EVENTS = "topic=\"" + Topics.RUN_EVENTS + "\"";

    @Test
    void countersCountRunsCreatedAndMetricPointsWritten() {
        String experimentId = createExperiment();
        double runsBefore = MetricsScrape.value("quarkflow_runs_created_total");
        double pointsBefore = MetricsScrape.value("quarkflow_metric_points_written_total");

        String runId = createRun(experimentId);
        logBatch(runId, List.of(metric("loss", 0.5, 1, 0), metric("loss", 0.4, 2, 1), metric("acc", 0.9, 2, 1)),
                List.of(), List.of()).statusCode(200);
        post("runs/log-metric", Map.of("run_id", runId, "key", "loss", "value", 0.3, "timestamp", 3, "step", 2))
                .statusCode(200);
        // Refused writes count nothing.
        post("runs/log-metric", Map.of("run_id", "0".repeat(32), "key", "loss", "value", 1, "timestamp", 1))
                .statusCode(404);
        post("runs/create", Map.of("experiment_id", "987654321")).statusCode(404);

        assertEquals(1, MetricsScrape.value("quarkflow_runs_created_total") - runsBefore);
        assertEquals(4, MetricsScrape.value("quarkflow_metric_points_written_total") - pointsBefore);
    }

    @Test
    void theOutboxCountsWhatItPublishedAndItsLagFallsBackToZero() {
        double before = MetricsScrape.value(EVENTS_PUBLISHED, RUN_EVENTS);
        try (RunEventsConsumer consumer = new RunEventsConsumer()) {
            String runId = createRun(createExperiment());
            consumer.await(about(Set.of(runId)), 1, TIMEOUT);
        }
        awaitTrue(() -> MetricsScrape.value(EVENTS_PUBLISHED, RUN_EVENTS) >= before + 1, "the run event counted");
        String scraped = given().get("/q/metrics").then().extract().asString();
        assertTrue(scraped.contains("# TYPE quarkflow_outbox_lag_seconds gauge"), "the lag gauge is exposed");
        awaitTrue(() -> MetricsScrape.value("quarkflow_outbox_lag_seconds") == 0, "no lag once all is published");
    }

    @Test
    void metricsAndTheApiDescriptionAnswerAScraperByPodAddressButTheApiDoesNot() {
        String podAddress = "10.1.2.3:5000";
        given().header("Host", podAddress).get("/q/metrics").then().statusCode(200)
                .body(containsString("http_server_requests_seconds_count"));
        given().header("Host", podAddress).get("/q/openapi").then().statusCode(200)
                .body(containsString("/{prefix}/2.0/mlflow/runs/create:"))
                .body(containsString("/{prefix}/2.0/mlflow/runs/log-batch:"));
        given().header("Host", podAddress).contentType(ContentType.JSON).body(Map.of())
                .post(TrackingApi.API + "experiments/search").then().statusCode(403);
    }

    @Test
    void theLogLinesOfARequestNameTheGatewaysRequestIdAndOnlyThatRequests() {
        String runId = createRun(createExperiment());
        Logger probe = Logger.getLogger(RequestIdProbe.CATEGORY);
        List<String> seen = new CopyOnWriteArrayList<>(); // the id of each runs/get line, "other" for the rest
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord record) {
                ExtLogRecord line = (ExtLogRecord) record;
                seen.add(line.getFormattedMessage().contains("runs/get") ? line.getMdc(RequestIds.MDC_KEY) : "other");
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        Level level = probe.getLevel();
        probe.setLevel(Level.FINE);
        probe.addHandler(capture);
        try {
            // Answered after a PostgreSQL round trip: the id must outlive the request's asynchronous steps.
            given().header(RequestIds.HEADER, "req-obs-1").queryParam("run_id", runId)
                    .get(TrackingApi.API + "runs/get").then().statusCode(200);
            given().queryParam("run_id", runId).get(TrackingApi.API + "runs/get").then().statusCode(200);
            given().header(RequestIds.HEADER, "not harmless\u0007").queryParam("run_id", runId)
                    .get(TrackingApi.API + "runs/get").then().statusCode(200);
            awaitTrue(() -> seen.stream().filter(line -> !"other".equals(line)).count() >= 3, "three lines");
            assertEquals(Arrays.asList("req-obs-1", null, null),
                    seen.stream().filter(line -> !"other".equals(line)).toList());
        } finally {
            probe.removeHandler(capture);
            probe.setLevel(level);
        }
    }

    @Test
    void withTracingOffEventsCarryNoTraceContext() {
        try (RunEventsConsumer consumer = new RunEventsConsumer()) {
            String runId = given().header("traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01")
                    .contentType(ContentType.JSON).body(Map.of("experiment_id", createExperiment()))
                    .post(TrackingApi.API + "runs/create").then().statusCode(200).extract().path("run.info.run_id");
            Received created = consumer.await(about(Set.of(runId)), 1, TIMEOUT).get(0);
            assertNull(created.traceParent(), "no traceparent header");
        }
    }

    static void awaitTrue(BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT.toSeconds());
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("Not within " + TIMEOUT + ": " + what);
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }
}
