package io.quarkflow.tracking.api;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.io.OutputStream;
import java.net.Socket;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import static io.quarkflow.tracking.api.TrackingApi.createExperiment;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A search whose client hangs up stops in PostgreSQL: without it the statement would run on until statement_timeout
 * (30 s), holding a connection and a CPU for an answer nobody reads.
 */
@QuarkusTest
class AbandonedSearchTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    /** Runs whose param value the filter below scans with a slow LIKE: several seconds of PostgreSQL's CPU. */
    private static final int RUNS = 2000;
    /**
     * The search's statement: filters on params compare whole values in "C" collation (ValuePrefix). The text of this
     * query in pg_stat_activity differs from the watched one, and its own backend is left out anyway.
     */
    private static final String ACTIVE_SEARCHES = "select count(*) from pg_stat_activity where state = 'active' "
            + "and pid <> pg_backend_pid() and query like '%from params p where p.run_uuid = r.run_uuid%' "
            + "and query like '%collate \"C\" like%'";

    @Inject
    Pool pool;

    @TestHTTPResource("/")
    URL server;

    @Test
    void aSearchWhoseClientHangsUpIsCancelledInPostgres() throws Exception {
        String experimentId = createExperiment();
        insertRunsWithLongParams(Long.parseLong(experimentId));
        // "%aaa…ab%" against 6,000 a's: every start position matches 1,000 characters before it fails.
        String filter = "params.p LIKE '%" + "a".repeat(1000) + "b%'";
        String body = "{\"experiment_ids\": [\"" + experimentId + "\"], \"filter\": \"" + filter + "\"}";
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        // A connection of its own: a pooled one could queue behind the very statement it watches.
        SqlConnection monitor = pool.getConnection().await().atMost(WAIT);
        try (Socket socket = new Socket(server.getHost(), server.getPort())) {
            OutputStream out = socket.getOutputStream();
            out.write(("POST /api/2.0/mlflow/runs/search HTTP/1.1\r\nHost: localhost\r\n"
                    + "Content-Type: application/json\r\nContent-Length: " + bytes.length + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.write(bytes);
            out.flush();
            assertTrue(waitForActiveSearches(monitor, 1, Duration.ofSeconds(10)), "the search never ran in PostgreSQL");
            // Still running a second later: the search is slow enough that only a cancel can end it within 2 s.
            Thread.sleep(1000);
            assertEquals(1, activeSearches(monitor), "the search ended by itself; make it slower");
        }
        long closed = System.nanoTime();
        try {
            assertTrue(waitForActiveSearches(monitor, 0, Duration.ofSeconds(2)),
                    "the abandoned search still runs in PostgreSQL 2 s after its client left");
        } finally {
            monitor.closeAndAwait();
        }
        long stoppedAfter = Duration.ofNanos(System.nanoTime() - closed).toMillis();
        assertTrue(stoppedAfter < 2500, "stopped only after " + stoppedAfter + " ms");
    }

    private void insertRunsWithLongParams(long experimentId) {
        pool.preparedQuery("insert into runs (run_uuid, experiment_id, name, status, start_time, artifact_uri) "
                        + "select md5($1 || g), $2, 'slow-' || g, 'FINISHED', g, 'mlflow-artifacts:/x' "
                        + "from generate_series(1, $3) g")
                .execute(Tuple.of(String.valueOf(experimentId), experimentId, RUNS))
                .await().atMost(WAIT);
        pool.preparedQuery("insert into params (run_uuid, key, value, experiment_id) "
                        + "select run_uuid, 'p', repeat('a', 6000), experiment_id from runs where experiment_id = $1")
                .execute(Tuple.of(experimentId))
                .await().atMost(WAIT);
    }

    private static boolean waitForActiveSearches(SqlConnection monitor, long expected, Duration within)
            throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        while (System.nanoTime() < deadline) {
            if (activeSearches(monitor) == expected) {
                return true;
            }
            Thread.sleep(50);
        }
        return false;
    }

    private static long activeSearches(SqlConnection monitor) {
        return monitor.query(ACTIVE_SEARCHES).execute().await().atMost(WAIT).iterator().next().getLong(0);
    }
}
