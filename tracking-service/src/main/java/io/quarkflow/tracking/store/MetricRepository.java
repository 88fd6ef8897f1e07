package io.quarkflow.tracking.store;

import io.quarkflow.tracking.domain.Metric;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Reads metric history; every query is a range of the (run_uuid, key, ts, step, ...) primary key index. */
@ApplicationScoped
public class MetricRepository {

    /** Position in one metric's history, used as a keyset page token. */
    public record Position(long step, long timestamp, double value, boolean isNan) {
    }

    /** MLflow's history order, which the primary key follows. */
    private static final String POINT_ORDER = "ts, step, value, is_nan";
    /** MLflow's order for the sampled history of the UI's charts: by step. */
    private static final String STEP_ORDER = "step, ts, value, is_nan";
    /** What a history point carries; {@link #toPoint} reads them in this order. */
    private static final String POINT_COLUMNS = "key, value, is_nan, ts, step, dataset_name, dataset_digest, model_id";
    private static final String ORDER = " order by " + POINT_ORDER;

    /**
     * Points after {@code after} (or from the start), at most {@code limit}, as rows: read them with
     * {@link #point} and {@link #position}, so that a long history is never held as objects, only as its answer.
     */
    public Uni<RowSet<Row>> history(SqlClient client, String runId, String key, Position after, int limit) {
        String sql = "select " + POINT_COLUMNS + " from metrics where run_uuid = $1 and key = $2";
        Tuple args = Tuple.of(runId, key);
        if (after != null) {
            sql += " and (ts, step, value, is_nan) > ($3, $4, $5, $6)";
            args.addLong(after.timestamp()).addLong(after.step()).addDouble(after.value()).addBoolean(after.isNan());
        }
        return client.preparedQuery(sql + ORDER + " limit " + limit).execute(args);
    }

    /** A row of {@link #history}: the point, without its run id, as MLflow leaves it out of one run's history. */
    public static Metric point(Row row) {
        return toPoint(row, null);
    }

    /** Each run's distinct logged steps of one metric, ascending; runs without the metric are absent. */
    public Uni<Map<String, List<Long>>> stepsOf(SqlClient client, String[] runIds, String key) {
        return client.preparedQuery("select run_uuid, array_agg(distinct step order by step) from metrics "
                        + "where run_uuid = any($1) and key = $2 group by run_uuid")
                .execute(Tuple.of(runIds, key))
                .map(rows -> {
                    Map<String, List<Long>> steps = new HashMap<>();
                    rows.forEach(row -> steps.put(row.getString(0), List.of(row.getArrayOfLongs(1))));
                    return steps;
                });
    }

    /** The runs' points at the given steps, grouped by run. */
    public Uni<Map<String, List<Metric>>> atSteps(SqlClient client, String[] runIds, String key, Long[] steps) {
        return client.preparedQuery("select " + POINT_COLUMNS + ", run_uuid from metrics "
                        + "where run_uuid = any($1) and key = $2 and step = any($3) order by run_uuid, " + STEP_ORDER)
                .execute(Tuple.of(runIds, key, steps))
                .map(MetricRepository::byRun);
    }

    /** The first {@code limit} points of each run's history, grouped by run: one index range per run. */
    public Uni<Map<String, List<Metric>>> firstPointsOf(SqlClient client, String[] runIds, String key, int limit) {
        return client.preparedQuery("select " + POINT_COLUMNS + ", run_uuid from (select m.*, row_number() over "
                        + "(partition by run_uuid" + ORDER + ") as n from metrics m where run_uuid = any($1) and key = $2) "
                        + "as points where n <= $3 order by run_uuid, " + POINT_ORDER)
                .execute(Tuple.of(runIds, key, limit))
                .map(MetricRepository::byRun);
    }

    private static Map<String, List<Metric>> byRun(RowSet<Row> rows) {
        Map<String, List<Metric>> byRun = new HashMap<>();
        for (Row row : rows) {
            byRun.computeIfAbsent(row.getString(8), id -> new ArrayList<>()).add(toPoint(row, row.getString(8)));
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

    /** A row of {@link #history}: its place in the history, for the next page. */
    public static Position position(Row row) {
        return new Position(row.getLong(4), row.getLong(3), row.getDouble(1), row.getBoolean(2));
    }
}
