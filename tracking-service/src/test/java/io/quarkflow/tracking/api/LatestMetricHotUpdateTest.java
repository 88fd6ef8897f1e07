package io.quarkflow.tracking.api;

import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static io.quarkflow.tracking.api.TrackingApi.createRun;
import static io.quarkflow.tracking.api.TrackingApi.post;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Each new point of a key updates its latest value in place: a HOT update (migration V11), which writes no index
 * entry and leaves no dead index tuple behind, as PostgreSQL's own statistics of the table show.
 */
@QuarkusTest
class LatestMetricHotUpdateTest {

    private static final int POINTS = 30;

    @Inject
    Pool pool;

    @Test
    void everyNewLatestValueIsAHotUpdate() throws InterruptedException {
        String run = createRun();
        post("runs/log-metric", Map.of("run_id", run, "key", "hot", "value", 0, "timestamp", 1, "step", 0))
                .statusCode(200);
        long[] before = awaitSettledUpdates();

        for (int step = 1; step <= POINTS; step++) {
            post("runs/log-metric", Map.of("run_id", run, "key", "hot", "value", step, "timestamp", 1, "step", step))
                    .statusCode(200);
        }

        long[] after = awaitUpdates(before[0] + POINTS);
        assertEquals(POINTS, after[0] - before[0], "updates of latest_metrics");
        assertEquals(POINTS, after[1] - before[1], "of which HOT");
    }

    /**
     * The counts once every backend has reported what it did before: a backend reports its statistics within a
     * second of a transaction, or after 10 s when it is idle.
     */
    private long[] awaitSettledUpdates() throws InterruptedException {
        Thread.sleep(11_000);
        return updates();
    }

    private long[] awaitUpdates(long atLeast) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        long[] now = updates();
        while (now[0] < atLeast) {
            assertTrue(System.nanoTime() < deadline, "updates reported: " + now[0] + ", expected " + atLeast);
            Thread.sleep(200);
            now = updates();
        }
        return now;
    }

    /** n_tup_upd and n_tup_hot_upd of latest_metrics. */
    private long[] updates() {
        Row row = pool.query("select n_tup_upd, n_tup_hot_upd from pg_stat_user_tables "
                        + "where schemaname = current_schema() and relname = 'latest_metrics'").execute()
                .await().indefinitely().iterator().next();
        return new long[] {row.getLong(0), row.getLong(1)};
    }
}
