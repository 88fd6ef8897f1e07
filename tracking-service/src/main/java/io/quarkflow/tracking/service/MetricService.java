package io.quarkflow.tracking.service;

import io.quarkflow.mlflow.errors.MlflowException;
import io.quarkflow.tracking.domain.Metric;
import io.quarkflow.tracking.domain.MetricSampler;
import io.quarkflow.tracking.domain.PageToken;
import io.quarkflow.tracking.store.CancellableReads;
import io.quarkflow.tracking.store.MetricRepository.Position;
import io.quarkflow.tracking.store.MetricRepository;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Cursor;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/** Metric history: one run's full history (paged by keyset) and the sampled multi-run view of MLflow's UI. */
@ApplicationScoped
public class MetricService {

    private static final int MAX_RESULTS_BULK = 25000;
    /** History tokens carry a position (step, timestamp, value bits, NaN) and this fingerprint, not a search's. */
    private static final String HISTORY_TOKEN = "metric-history";
    /** Memory for sorting a long history: 100,000 points in memory rather than on disk. */
    private static final String SORT_MEMORY = "32MB";
    /** History points read at once. */
    static final int PAGE = 10_000;

    private final Pool pool;
    private final MetricRepository metrics;
    private final RunGuard runs;
    private final CancellableReads reads;

    public MetricService(Pool pool, MetricRepository metrics, RunGuard runs, CancellableReads reads) {
        this.pool = pool;
        this.metrics = metrics;
        this.runs = runs;
        this.reads = reads;
    }

    /**
     * Hands one run's history of a key to {@code points}, in MLflow's order, and answers the next page's token (null
     * when there is none). Without max_results (or with 0, protobuf's default) the whole history comes, as MLflow
     * 2.x clients expect. A history of up to {@link #PAGE} points is one query; a longer one is one query read
     * through a cursor {@link #PAGE} points at a time, in a read-only transaction, so that it is never held twice; it is
     * sorted with {@link #SORT_MEMORY}.
     */
    public Uni<String> history(String runId, String key, Long maxResults, String pageToken, Consumer<Metric> points) {
        if (key == null || key.isEmpty()) {
            throw MlflowException.missing("metric_key");
        }
        if (maxResults != null && maxResults < 0) {
            throw MlflowException.invalidParameter("Invalid value for request parameter max_results. "
                    + "It must be a positive integer, but got " + maxResults);
        }
        Integer limit = maxResults == null || maxResults == 0 ? null : (int) Math.min(maxResults, Integer.MAX_VALUE - 1);
        Position after = decode(pageToken);
        // One more point than asked for tells whether there is a next page.
        return runs.existing(pool, runId).chain(() -> limit != null && limit < PAGE
                ? metrics.history(pool, runId, key, after, limit + 1)
                        .map(rows -> emit(rows, limit, new Emitted(after, 0), points).token(limit))
                : pool.withTransaction(conn -> conn.query("set transaction isolation level repeatable read, read only; "
                                + "set local work_mem = '" + SORT_MEMORY + "'")
                        .execute()
                        .chain(() -> metrics.historyCursor(conn, runId, key, after, limit == null ? null : limit + 1))
                        .chain(cursor -> read(cursor, limit, new Emitted(after, 0), points))));
    }

    /** How far a history has been handed on: the last point's position and how many points. */
    private record Emitted(Position last, int count) {

        /** The next page's token once the points are read: one when a point beyond {@code limit} came. */
        String token(Integer limit) {
            return limit != null && count > limit ? encode(last) : null;
        }
    }

    private Uni<String> read(Cursor cursor, Integer limit, Emitted emitted, Consumer<Metric> points) {
        return cursor.read(PAGE).chain(rows -> {
            Emitted now = emit(rows, limit, emitted, points);
            return now.count() <= (limit == null ? Integer.MAX_VALUE : limit) && cursor.hasMore()
                    ? read(cursor, limit, now, points)
                    : Uni.createFrom().item(now.token(limit));
        });
    }

    /**
     * Hands on the rows' points up to {@code limit} in all; a row beyond it only counts (count becomes limit + 1),
     * its position not taken, so that the token points after the last point handed on.
     */
    private static Emitted emit(RowSet<Row> rows, Integer limit, Emitted emitted, Consumer<Metric> points) {
        Position last = emitted.last();
        int count = emitted.count();
        for (Row row : rows) {
            if (limit != null && count == limit) {
                return new Emitted(last, count + 1);
            }
            points.accept(MetricRepository.point(row));
            last = MetricRepository.position(row);
            count++;
        }
        return new Emitted(last, count);
    }

    /**
     * The UI's older multi-run history: up to 100 runs, at most max_results points (25,000) in all, in MLflow's
     * order: by run id, then each run's history order. Its messages are that handler's own.
     */
    public Uni<List<Metric>> historyBulk(List<String> runIds, String key, Long maxResults) {
        if (runIds == null || runIds.isEmpty()) {
            throw MlflowException.invalidParameter("GetMetricHistoryBulk request must specify at least one run_id.");
        }
        if (runIds.size() > MetricSampler.MAX_RUNS) {
            throw MlflowException.invalidParameter("GetMetricHistoryBulk request cannot specify more than "
                    + MetricSampler.MAX_RUNS + " run_ids. Received " + runIds.size() + " run_ids.");
        }
        if (key == null) {
            throw MlflowException.invalidParameter("GetMetricHistoryBulk request must specify a metric_key.");
        }
        int max = maxResults == null ? MAX_RESULTS_BULK : (int) Math.max(1, Math.min(maxResults, MAX_RESULTS_BULK));
        List<String> byId = runIds.stream().distinct().sorted().toList();
        return metrics.firstPointsOf(pool, byId.toArray(String[]::new), key, max)
                .map(byRun -> inRunOrder(byId, byRun).stream().limit(max).toList());
    }

    public Uni<List<Metric>> historyBulkInterval(List<String> runIds, String key, Long startStep, Long endStep,
                                                 Long maxResults) {
        requireRunIds(runIds);
        if (key == null || key.isEmpty()) {
            throw MlflowException.missing("metric_key");
        }
        int max = maxResults == null ? MetricSampler.MAX_RESULTS_PER_RUN : maxResults.intValue();
        if (maxResults != null && (maxResults < 1 || maxResults > MetricSampler.MAX_RESULTS_PER_RUN)) {
            throw MlflowException.invalidParameter("max_results must be between 1 and "
                    + MetricSampler.MAX_RESULTS_PER_RUN + ". See the API docs for more information about request "
                    + "parameters.");
        }
        if ((startStep == null) != (endStep == null)) {
            throw MlflowException.invalidParameter(
                    "If either start step or end step are specified, both must be specified.");
        }
        if (startStep != null && startStep > endStep) {
            throw MlflowException.invalidParameter("end_step must be greater than start_step. Found start_step="
                    + startStep + " and end_step=" + endStep + ".");
        }
        String[] ids = runIds.toArray(String[]::new);
        return reads.run(conn -> runs.allExisting(conn, ids)
                .chain(() -> metrics.stepsOf(conn, ids, key))
                .chain(stepsByRun -> {
                    List<List<Long>> stepsPerRun = runIds.stream()
                            .map(runId -> stepsByRun.getOrDefault(runId, List.of()))
                            .toList();
                    Long[] steps = MetricSampler.sample(stepsPerRun, startStep, endStep, max).toArray(Long[]::new);
                    return metrics.atSteps(conn, ids, key, steps);
                })
                .map(byRun -> inRunOrder(runIds, byRun)));
    }

    /** MLflow answers run by run, in the order the run ids were given. */
    private static List<Metric> inRunOrder(List<String> runIds, Map<String, List<Metric>> byRun) {
        return runIds.stream().distinct().flatMap(runId -> byRun.getOrDefault(runId, List.of()).stream()).toList();
    }

    private static void requireRunIds(List<String> runIds) {
        if (runIds == null || runIds.isEmpty()) {
            throw MlflowException.missing("run_ids");
        }
        if (runIds.size() > MetricSampler.MAX_RUNS) {
            throw MlflowException.invalidParameter("GetMetricHistoryBulkInterval request must specify at most "
                    + MetricSampler.MAX_RUNS + " run_ids. Received " + runIds.size() + " run_ids.");
        }
    }

    private static String encode(Position position) {
        return PageToken.encodeKeys(HISTORY_TOKEN, List.of(Long.toString(position.step()),
                Long.toString(position.timestamp()), Long.toString(Double.doubleToRawLongBits(position.value())),
                Boolean.toString(position.isNan())));
    }

    private static Position decode(String token) {
        List<String> keys = PageToken.decodeKeys(token, HISTORY_TOKEN, 4);
        if (keys == null) {
            return null;
        }
        try {
            return new Position(Long.parseLong(keys.get(0)), Long.parseLong(keys.get(1)),
                    Double.longBitsToDouble(Long.parseLong(keys.get(2))), Boolean.parseBoolean(keys.get(3)));
        } catch (NumberFormatException e) {
            throw MlflowException.invalidParameter("Invalid page token: " + token);
        }
    }
}
