package io.quarkflow.tracking.store;

import io.quarkflow.tracking.domain.RunSearchRules;
import io.quarkflow.tracking.domain.ViewType;
import io.quarkflow.tracking.store.RunSearchSql.Segment;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Runs bulk-loaded into an experiment the planner's statistics have never seen are searched with the plans PostgreSQL
 * picks once it knows them (StatisticsRefresher analyzes the grown tables within seconds, not autovacuum's minute):
 * the search starts from a value index and joins by keys. With the stale statistics the planner believed the
 * experiment empty and chose nested loops that rescan the experiment's rows for every row (rows removed by a join
 * filter, by the million over 10,000 runs: seconds instead of milliseconds; figures in issue 18).
 */
@QuarkusTest
class SearchPlanStatisticsTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final int RUNS = 3000;
    private static final Pattern REMOVED_BY_JOIN_FILTER = Pattern.compile("Rows Removed by Join Filter: (\\d+)");

    @Inject
    Pool pool;

    @Inject
    StatisticsRefresher refresher;

    @Test
    void searchesOfABulkLoadedExperimentGetThePlansOfFreshStatistics() throws InterruptedException {
        long analyzesBefore = manualAnalyzes();
        long experiment = seedExperiment();
        printPlans("right after the load", experiment);

        awaitRefreshedStatistics(analyzesBefore);

        String orderedByMetric = plan(experiment, "metrics.m1 > 0.5", "metrics.m2 DESC");
        assertTrue(orderedByMetric.contains("latest_metrics_by_key"), orderedByMetric);
        assertNoRescans(orderedByMetric);
        String paramEquality = plan(experiment, "params.p1 = 'v42'", null);
        assertTrue(paramEquality.contains("params_by_value_prefix"), paramEquality);
        assertNoRescans(paramEquality);
        String tagLike = plan(experiment, "tags.team LIKE 'team-4%'", null);
        assertTrue(tagLike.contains("tags_by_value_prefix"), tagLike);
        assertNoRescans(tagLike);
    }

    /**
     * Every logged point updates its key's latest row: those updates leave the table's size, and so the refresher,
     * alone (analyzing latest_metrics each second under load cost PostgreSQL a tenth of its time per point).
     */
    @Test
    void updatedLatestValuesAloneAnalyzeNothing() throws InterruptedException {
        long experiment = seedExperiment();
        awaitRefreshedStatistics(manualAnalyzes());
        refresher.refresh().await().atMost(WAIT); // whatever growth the load left below this test's own
        String ofLatest = " filter (where s.relname = 'latest_metrics')";
        long analyzesBefore = statistic("sum(analyze_count)" + ofLatest);
        long updatesBefore = statistic("sum(n_tup_upd)" + ofLatest);
        pool.preparedQuery("update latest_metrics set value = value + 1, step = step + 1 where experiment_id = $1")
                .execute(Tuple.of(experiment)).await().atMost(WAIT);
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (statistic("sum(n_tup_upd)" + ofLatest) < updatesBefore + 5L * RUNS) {
            assertTrue(System.nanoTime() < deadline, "PostgreSQL did not count the updates");
            Thread.sleep(200);
        }
        // A check now sees the updates; so did any the refresher ran on its own since they were counted.
        List<String> analyzed = refresher.refresh().await().atMost(WAIT);
        assertFalse(analyzed.contains("latest_metrics"), analyzed.toString());
        assertEquals(analyzesBefore, statistic("sum(analyze_count)" + ofLatest));
    }

    /**
     * Joins find their rows by key (an index condition or a hash): a nested loop that rescans the experiment's rows
     * for each outer row and filters them shows as more rows removed by its join filter than the experiment has.
     */
    private static void assertNoRescans(String plan) {
        long removed = REMOVED_BY_JOIN_FILTER.matcher(plan).results().mapToLong(m -> Long.parseLong(m.group(1))).sum();
        assertTrue(removed < RUNS, "a join that rescans rows for each row:\n" + plan);
    }

    /** Runs with 5 params, 5 latest metrics and a team tag each, as bench/TrackingBench seeds them. */
    private long seedExperiment() {
        String name = "bulk-" + UUID.randomUUID();
        return pool.withTransaction(conn -> conn.preparedQuery("insert into experiments (experiment_id, name, "
                                + "artifact_location, creation_time, last_update_time) values "
                                + "(nextval('experiment_id_seq'), $1, 'mlflow-artifacts:/bulk', 0, 0) returning experiment_id")
                        .execute(Tuple.of(name))
                        .map(rows -> rows.iterator().next().getLong(0))
                        .call(id -> conn.preparedQuery("insert into runs (run_uuid, experiment_id, name, status, "
                                        + "start_time, lifecycle_stage, artifact_uri) select md5($1 || g), $2, 'run-' || g, "
                                        + "'FINISHED', 1600000000000 + g, 'active', 'mlflow-artifacts:/bulk' "
                                        + "from generate_series(1, $3) g")
                                .execute(Tuple.of(name, id, RUNS)))
                        .call(id -> conn.preparedQuery("insert into params (run_uuid, experiment_id, key, value) "
                                        + "select md5($1 || g), $2, 'p' || p, 'v' || (g + p) % 1000 "
                                        + "from generate_series(1, $3) g, generate_series(0, 4) p")
                                .execute(Tuple.of(name, id, RUNS)))
                        .call(id -> conn.preparedQuery("insert into tags (run_uuid, experiment_id, key, value) "
                                        + "select md5($1 || g), $2, 'team', 'team-' || g % 100 from generate_series(1, $3) g")
                                .execute(Tuple.of(name, id, RUNS)))
                        .call(id -> conn.preparedQuery("insert into latest_metrics (run_uuid, experiment_id, key, step, "
                                        + "ts, value, is_nan) select md5($1 || g), $2, 'm' || m, 0, 1, "
                                        + "((g * 7919 + m * 104729) % 10007) / 10007.0, false "
                                        + "from generate_series(1, $3) g, generate_series(0, 4) m")
                                .execute(Tuple.of(name, id, RUNS))))
                .await().atMost(WAIT);
    }

    /** Until each searched table was analyzed by a client (not autovacuum) since the load. */
    private void awaitRefreshedStatistics(long analyzesBefore) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (manualAnalyzes() < analyzesBefore + StatisticsRefresher.SEARCHED_TABLES.size()
                || pendingChanges() > 0) {
            assertTrue(System.nanoTime() < deadline, "the search tables were not analyzed after the load");
            Thread.sleep(200);
        }
    }

    private long manualAnalyzes() {
        return statistic("sum(analyze_count)");
    }

    /** Searched tables that grew by at least this test's load since their last analyze. */
    private long pendingChanges() {
        return statistic("count(*) filter (where " + StatisticsRefresher.ROWS_MOVED + " >= " + RUNS + ")");
    }

    private long statistic(String aggregate) {
        return pool.preparedQuery("select " + aggregate + " from pg_stat_user_tables s "
                        + "join pg_class c on c.oid = s.relid where s.schemaname = current_schema() and s.relname = any($1)")
                .execute(Tuple.of((Object) StatisticsRefresher.SEARCHED_TABLES.toArray(String[]::new)))
                .map(rows -> rows.iterator().next().getLong(0))
                .await().atMost(WAIT);
    }

    private void printPlans(String when, long experiment) {
        System.out.println("Plan " + when + ":\n" + plan(experiment, "metrics.m1 > 0.5", "metrics.m2 DESC"));
    }

    /** The plan of the search's first segment, as the service sends it (bind parameters, page of 100). */
    private String plan(long experiment, String filter, String orderBy) {
        Segment first = RunSearchSql.build(new Long[] {experiment}, ViewType.ACTIVE_ONLY, RunSearchRules.filter(filter),
                RunSearchRules.orderBy(orderBy == null ? List.of() : List.of(orderBy)), null, 101).get(0);
        return pool.preparedQuery("explain (analyze, costs off) " + first.sql())
                .execute(Tuple.from(first.args()))
                .map(rows -> StreamSupport.stream(rows.spliterator(), false)
                        .map((Row row) -> row.getString(0))
                        .collect(Collectors.joining("\n")))
                .await().atMost(WAIT);
    }
}
