package io.quarkflow.tracking.store;

import io.quarkflow.tracking.domain.Metric;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Cursor;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Reads metric history from {@code metric_chunks}, where each row holds the points one statement logged to one run, as
 * arrays in the order they came. A read takes the run's rows, of each only the key's places in its arrays
 * (array_positions), and drops repeats of a point (the same timestamp, step and value logged again), keeping the first
 * logged, as a unique key once did. A run id is
 * a {@code uuid} there (16 bytes, compared bytewise), not the text of its 32 hex digits.
 */
@ApplicationScoped
public class MetricRepository {

    /** Position in one metric's history, used as a keyset page token. */
    public record Position(long step, long timestamp, double value, boolean isNan) {
    }

    private static final Pattern RUN_ID = Pattern.compile("[0-9a-f]{32}");
    /** MLflow's history order. */
    private static final String POINT_ORDER = "ts, step, value, is_nan";
    /** MLflow's order for the sampled history of the UI's charts: by step. */
    private static final String STEP_ORDER = "step, ts, value, is_nan";
    /** What a history point carries; {@link #toPoint} reads them in this order. */
    private static final String POINT_COLUMNS = "key, value, is_nan, ts, step, dataset_name, dataset_digest, model_id";
    private static final String ORDER = " order by " + POINT_ORDER;

    /**
     * The distinct points of key $2 of the runs {@code runs} (a condition on {@code c.run_uuid}) that meet
     * {@code which} (a condition on a point's ts, step, value or is_nan, or true), with their run id: a table named
     * {@code points} of {@link #POINT_COLUMNS} and run_uuid. Of each row only the key's places in its arrays are read.
     */
    private static String points(String runs, String which) {
        return "(select distinct on (c.run_uuid, p.ts, p.step, p.value, p.is_nan) p.*, c.run_uuid from metric_chunks c "
                + "cross join lateral (select $2::text as key, c.vals[i] as value, c.nans[i] as is_nan, c.ts[i] as ts, "
                + "c.steps[i] as step, c.dataset_names[i] as dataset_name, c.dataset_digests[i] as dataset_digest, "
                + "c.model_ids[i] as model_id, i from unnest(array_positions(c.keys, $2)) as i) as p "
                + "where " + runs + " and " + which + " "
                + "order by c.run_uuid, p.ts, p.step, p.value, p.is_nan, c.id, p.i) as points";
    }

    /**
     * The points after {@code after} (or from the start), at most {@code limit} (null: all), as a query and its
     * arguments: run it at once ({@link #history}) or through a cursor ({@link #historyCursor}), and read its rows
     * with {@link #point} and {@link #position}, so that a long history is never held as objects, only as its answer.
     */
    private static String historySql(Position after, Integer limit) {
        return "select " + POINT_COLUMNS + " from " + points("c.run_uuid = $1",
                        after == null ? "true" : "(p.ts, p.step, p.value, p.is_nan) > ($3, $4, $5, $6)")
                + ORDER + (limit == null ? "" : " limit " + limit);
    }

    private static Tuple historyArgs(String runId, String key, Position after) {
        Tuple args = Tuple.of(uuid(runId), key);
        if (after != null) {
            args.addLong(after.timestamp()).addLong(after.step()).addDouble(after.value()).addBoolean(after.isNan());
        }
        return args;
    }

    /** {@link #historySql}'s points at once. */
    public Uni<RowSet<Row>> history(SqlClient client, String runId, String key, Position after, int limit) {
        return client.preparedQuery(historySql(after, limit)).execute(historyArgs(runId, key, after));
    }

    /** {@link #historySql}'s points through a cursor, to read a part at a time within the connection's transaction. */
    public Uni<Cursor> historyCursor(SqlConnection connection, String runId, String key, Position after, Integer limit) {
        return connection.prepare(historySql(after, limit))
                .map(statement -> statement.cursor(historyArgs(runId, key, after)));
    }

    /** A row of {@link #history}: the point, without its run id, as MLflow leaves it out of one run's history. */
    public static Metric point(Row row) {
        return toPoint(row, null);
    }

    /** Each run's distinct logged steps of one metric, ascending; runs without the metric are absent. */
    public Uni<Map<String, List<Long>>> stepsOf(SqlClient client, String[] runIds, String key) {
        return client.preparedQuery("select c.run_uuid, array_agg(distinct c.steps[i] order by c.steps[i]) "
                        + "from metric_chunks c cross join lateral unnest(array_positions(c.keys, $2)) as i "
                        + "where c.run_uuid = any($1) group by c.run_uuid")
                .execute(Tuple.of(uuids(runIds), key))
                .map(rows -> {
                    Map<String, List<Long>> steps = new HashMap<>();
                    rows.forEach(row -> steps.put(runId(row.getUUID(0)), List.of(row.getArrayOfLongs(1))));
                    return steps;
                });
    }

    /** The runs' points at the given steps, grouped by run. */
    public Uni<Map<String, List<Metric>>> atSteps(SqlClient client, String[] runIds, String key, Long[] steps) {
        return client.preparedQuery("select " + POINT_COLUMNS + ", run_uuid from " + points("c.run_uuid = any($1)", "p.step = any($3)")
                        + " order by run_uuid, " + STEP_ORDER)
                .execute(Tuple.of(uuids(runIds), key, steps))
                .map(MetricRepository::byRun);
    }

    /** The first {@code limit} points of each run's history, grouped by run: one index range per run. */
    public Uni<Map<String, List<Metric>>> firstPointsOf(SqlClient client, String[] runIds, String key, int limit) {
        return client.preparedQuery("select " + POINT_COLUMNS + ", run_uuid from (select points.*, row_number() over "
                        + "(partition by run_uuid" + ORDER + ") as n from " + points("c.run_uuid = any($1)", "true") + ") as numbered "
                        + "where n <= $3 order by run_uuid, " + POINT_ORDER)
                .execute(Tuple.of(uuids(runIds), key, limit))
                .map(MetricRepository::byRun);
    }

    private static Map<String, List<Metric>> byRun(RowSet<Row> rows) {
        Map<String, List<Metric>> byRun = new HashMap<>();
        for (Row row : rows) {
            String runId = runId(row.getUUID(8));
            byRun.computeIfAbsent(runId, id -> new ArrayList<>()).add(toPoint(row, runId));
        }
        return byRun;
    }

    /** @param runId null where MLflow leaves it out (one run's history) */
    private static Metric toPoint(Row row, String runId) {
        return new Metric(row.getString(0), value(row), row.getLong(3), row.getLong(4), row.getString(5),
                row.getString(6), row.getString(7), runId);
    }

    /** A latest point: key, value, is_nan, ts, step. */
    static Metric toMetric(Row row) {
        return new Metric(row.getString(0), value(row), row.getLong(3), row.getLong(4));
    }

    static double value(Row row) {
        return row.getBoolean(2) ? Double.NaN : row.getDouble(1);
    }

    /**
     * A run id as {@code metric_chunks} holds it: its 32 hex digits as a UUID; null for an id that is not such digits (no
     * run has it: run ids are made that way), which then matches no row.
     */
    private static UUID uuid(String runId) {
        if (runId == null || !RUN_ID.matcher(runId).matches()) {
            return null;
        }
        return new UUID(Long.parseUnsignedLong(runId, 0, 16, 16), Long.parseUnsignedLong(runId, 16, 32, 16));
    }

    /** The run ids that can be in {@code metric_chunks}, as it holds them. */
    private static UUID[] uuids(String[] runIds) {
        return Arrays.stream(runIds).map(MetricRepository::uuid).filter(Objects::nonNull).toArray(UUID[]::new);
    }

    /** The run id of a UUID from {@code metric_chunks}: 32 lowercase hex digits, as MLflow writes it. */
    static String runId(UUID uuid) {
        return uuid.toString().replace("-", "");
    }

    /** A row of {@link #history}: its place in the history, for the next page. */
    public static Position position(Row row) {
        return new Position(row.getLong(4), row.getLong(3), row.getDouble(1), row.getBoolean(2));
    }
}
