package io.quarkflow.tracking.store;

import io.quarkflow.tracking.domain.Metric;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlClient;
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
 * Reads metric history; every query is a range of the (run_uuid, key, ts, step, ...) primary key index. In
 * {@code metrics} a run id is a {@code uuid} (16 bytes, compared bytewise), not the text of its 32 hex digits.
 */
@ApplicationScoped
public class MetricRepository {

    /** Position in one metric's history, used as a keyset page token. */
    public record Position(long step, long timestamp, double value, boolean isNan) {
    }

    private static final Pattern RUN_ID = Pattern.compile("[0-9a-f]{32}");
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
        Tuple args = Tuple.of(uuid(runId), key);
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
                .execute(Tuple.of(uuids(runIds), key))
                .map(rows -> {
                    Map<String, List<Long>> steps = new HashMap<>();
                    rows.forEach(row -> steps.put(runId(row.getUUID(0)), List.of(row.getArrayOfLongs(1))));
                    return steps;
                });
    }

    /** The runs' points at the given steps, grouped by run. */
    public Uni<Map<String, List<Metric>>> atSteps(SqlClient client, String[] runIds, String key, Long[] steps) {
        return client.preparedQuery("select " + POINT_COLUMNS + ", run_uuid from metrics "
                        + "where run_uuid = any($1) and key = $2 and step = any($3) order by run_uuid, " + STEP_ORDER)
                .execute(Tuple.of(uuids(runIds), key, steps))
                .map(MetricRepository::byRun);
    }

    /** The first {@code limit} points of each run's history, grouped by run: one index range per run. */
    public Uni<Map<String, List<Metric>>> firstPointsOf(SqlClient client, String[] runIds, String key, int limit) {
        return client.preparedQuery("select " + POINT_COLUMNS + ", run_uuid from (select m.*, row_number() over "
                        + "(partition by run_uuid" + ORDER + ") as n from metrics m where run_uuid = any($1) and key = $2) "
                        + "as points where n <= $3 order by run_uuid, " + POINT_ORDER)
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
     * A run id as {@code metrics} holds it: its 32 hex digits as a UUID; null for an id that is not such digits (no
     * run has it: run ids are made that way), which then matches no row.
     */
    private static UUID uuid(String runId) {
        if (runId == null || !RUN_ID.matcher(runId).matches()) {
            return null;
        }
        return new UUID(Long.parseUnsignedLong(runId, 0, 16, 16), Long.parseUnsignedLong(runId, 16, 32, 16));
    }

    /** The run ids that can be in {@code metrics}, as it holds them. */
    private static UUID[] uuids(String[] runIds) {
        return Arrays.stream(runIds).map(MetricRepository::uuid).filter(Objects::nonNull).toArray(UUID[]::new);
    }

    /** The run id of a UUID from {@code metrics}: 32 lowercase hex digits, as MLflow writes it. */
    static String runId(UUID uuid) {
        return uuid.toString().replace("-", "");
    }

    /** A row of {@link #history}: its place in the history, for the next page. */
    public static Position position(Row row) {
        return new Position(row.getLong(4), row.getLong(3), row.getDouble(1), row.getBoolean(2));
    }
}
