package io.quarkflow.tracking.api;

import io.quarkflow.tracking.config.TrackingConfig;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static io.quarkflow.tracking.api.TrackingApi.createExperiment;
import static io.quarkflow.tracking.api.TrackingApi.createRun;
import static io.quarkflow.tracking.api.TrackingApi.getRun;
import static io.quarkflow.tracking.api.TrackingApi.history;
import static io.quarkflow.tracking.api.TrackingApi.logBatch;
import static io.quarkflow.tracking.api.TrackingApi.many;
import static io.quarkflow.tracking.api.TrackingApi.metric;
import static io.quarkflow.tracking.api.TrackingApi.post;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Metric points of concurrent requests share statements (group commit), yet each request gets its own answer and
 * stays all-or-nothing: a deleted or unknown run refuses only its own request, and a request whose points the
 * database refuses writes none of them and fails no other.
 */
@QuarkusTest
class MetricGroupCommitTest {

    private static final String STATEMENTS = "quarkflow_metric_write_statements_total";
    private static final String WAITING = "quarkflow_metric_write_waiting";
    private static final String RETRIED = "quarkflow_metric_write_retried_total";

    @Inject
    Pool pool;

    @Inject
    TrackingConfig config;

    @Test
    void concurrentRequestsShareStatementsAndEachGetsItsOwnAnswer() throws Exception {
        String experiment = createExperiment();
        List<String> single = runs(experiment, 8);
        List<String> batched = runs(experiment, 8);
        String deleted = createRun(experiment);
        post("runs/delete", Map.of("run_id", deleted)).statusCode(200);

        List<Callable<ValidatableResponse>> requests = new ArrayList<>();
        List<Integer> expected = new ArrayList<>();
        for (String run : single) {
            for (int step = 0; step < 3; step++) {
                requests.add(logMetric(run, "loss", step));
                expected.add(200);
            }
        }
        for (String run : batched) {
            requests.add(() -> logBatch(run, many(10, i -> metric("m" + i, i, 1, 0)), List.of(), List.of()));
            expected.add(200);
        }
        for (int i = 0; i < 8; i++) {
            requests.add(logMetric(deleted, "loss", i));
            expected.add(400);
            requests.add(logMetric("0".repeat(31) + i, "loss", i));
            expected.add(404);
        }
        double statementsBefore = MetricsScrape.value(STATEMENTS);

        List<ValidatableResponse> answers = whileMetricsLocked(requests);

        for (int i = 0; i < answers.size(); i++) {
            answers.get(i).statusCode(expected.get(i));
        }
        double statements = MetricsScrape.value(STATEMENTS) - statementsBefore;
        assertTrue(statements < requests.size(), statements + " statements for " + requests.size() + " requests");
        for (String run : single) {
            assertEquals(List.of(0.0, 1.0, 2.0), history(run, "loss").getList("metrics.value", Double.class));
            assertEquals(2, getRun(run).getInt("run.data.metrics[0].step"), "latest point is the last step");
        }
        for (String run : batched) {
            assertEquals(10, getRun(run).getList("run.data.metrics").size());
        }
        assertNull(getRun(deleted).get("run.data.metrics"), "nothing written to the deleted run");
    }

    @Test
    void aPointLoggedAgainTakesOneStatementAndIsReadOnce() {
        String run = createRun();
        double retriedBefore = MetricsScrape.value(RETRIED);

        post("runs/log-metric", Map.of("run_id", run, "key", "loss", "value", 0.5, "timestamp", 7, "step", 1))
                .statusCode(200);
        logBatch(run, List.of(metric("acc", 0.9, 7, 1), metric("loss", 0.4, 8, 2)), List.of(), List.of())
                .statusCode(200);
        assertEquals(retriedBefore, MetricsScrape.value(RETRIED), "new points: no second statement");

        logBatch(run, List.of(metric("acc", 0.9, 7, 1), metric("loss", 0.3, 9, 3)), List.of(), List.of())
                .statusCode(200);
        assertEquals(retriedBefore, MetricsScrape.value(RETRIED), "a point logged again: stored again, no second statement");
        assertEquals(List.of(0.5, 0.4, 0.3), history(run, "loss").getList("metrics.value", Double.class));
        assertEquals(List.of(0.9), history(run, "acc").getList("metrics.value", Double.class));
        assertEquals(3, getRun(run).getInt("run.data.metrics.find { it.key == 'loss' }.step"));
    }

    @Test
    void statementsThatEachCreateTheSameLatestValueAllSucceed() throws Exception {
        String run = createRun();
        int requestCount = 4 * config.metricWrites().maxInFlight();
        List<Callable<ValidatableResponse>> requests = new ArrayList<>();
        for (int step = 0; step < requestCount; step++) {
            requests.add(logMetric(run, "loss", step));
        }

        // The first statements start at once and wait on the lock, each about to insert the run's first "loss":
        // those that find it inserted by another when they insert it (unique violation) are written again.
        List<ValidatableResponse> answers = whileMetricsLocked(requests);

        answers.forEach(answer -> answer.statusCode(200));
        assertEquals(requestCount, history(run, "loss").getList("metrics").size());
        assertEquals(requestCount - 1, getRun(run).getInt("run.data.metrics[0].step"), "latest point is the last step");
    }

    @Test
    void aRequestTheDatabaseRefusesWritesNothingAndFailsNoOther() throws Exception {
        pool.query("create or replace function refuse_poison() returns trigger language plpgsql as $$ begin "
                + "if 'poison' = any(new.keys) then raise exception 'poisoned point'; end if; return new; end $$").execute()
                .chain(() -> pool.query("create trigger refuse_poison before insert on metric_chunks for each row "
                        + "execute function refuse_poison()").execute())
                .await().indefinitely();
        try {
            String experiment = createExperiment();
            String poisoned = createRun(experiment);
            List<String> others = runs(experiment, 15);
            List<Callable<ValidatableResponse>> requests = new ArrayList<>();
            requests.add(() -> logBatch(poisoned, List.of(metric("a", 1, 1, 0), metric("poison", 2, 1, 0),
                    metric("z", 3, 1, 0)), List.of(), List.of()));
            others.forEach(run -> requests.add(logMetric(run, "loss", 0)));

            List<ValidatableResponse> answers = atOnce(requests);

            answers.get(0).statusCode(500);
            assertNull(getRun(poisoned).get("run.data.metrics"), "none of the refused request's points");
            for (int i = 1; i < answers.size(); i++) {
                answers.get(i).statusCode(200);
                assertEquals(1, getRun(others.get(i - 1)).getList("run.data.metrics").size());
            }
        } finally {
            pool.query("drop trigger refuse_poison on metric_chunks").execute().await().indefinitely();
        }
    }

    private static List<String> runs(String experiment, int count) {
        List<String> runs = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            runs.add(createRun(experiment));
        }
        return runs;
    }

    private static Callable<ValidatableResponse> logMetric(String run, String key, int step) {
        return () -> post("runs/log-metric", Map.of("run_id", run, "key", key, "value", step, "timestamp", 1,
                "step", step));
    }

    /**
     * Sends all requests at once while the metric_chunks table is locked against writes, so that the first statements
     * wait and the other requests queue behind them, however fast the database and however spread their arrival;
     * releases the lock once all of them wait.
     */
    private List<ValidatableResponse> whileMetricsLocked(List<Callable<ValidatableResponse>> requests)
            throws Exception {
        ExecutorService sender = Executors.newSingleThreadExecutor();
        SqlConnection lock = pool.getConnection().await().indefinitely();
        try {
            lock.query("begin").execute().await().indefinitely();
            lock.query("lock table metric_chunks in share mode").execute().await().indefinitely();
            Future<List<ValidatableResponse>> answers = sender.submit(() -> atOnce(requests));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (MetricsScrape.value(WAITING) < requests.size() - config.metricWrites().maxInFlight()) {
                assertTrue(System.nanoTime() < deadline, "requests waiting: " + MetricsScrape.value(WAITING));
                Thread.sleep(20);
            }
            lock.query("commit").execute().await().indefinitely();
            return answers.get(60, TimeUnit.SECONDS);
        } finally {
            lock.close().await().indefinitely();
            sender.shutdownNow();
        }
    }

    /** Sends all requests at the same moment, one thread each; their answers in order. */
    private static List<ValidatableResponse> atOnce(List<Callable<ValidatableResponse>> requests) throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(requests.size());
        CyclicBarrier start = new CyclicBarrier(requests.size());
        try {
            List<Future<ValidatableResponse>> answers = new ArrayList<>();
            for (Callable<ValidatableResponse> request : requests) {
                answers.add(threads.submit(() -> {
                    start.await(30, TimeUnit.SECONDS);
                    return request.call();
                }));
            }
            List<ValidatableResponse> done = new ArrayList<>();
            for (Future<ValidatableResponse> answer : answers) {
                done.add(answer.get(60, TimeUnit.SECONDS));
            }
            return done;
        } finally {
            threads.shutdownNow();
        }
    }
}
