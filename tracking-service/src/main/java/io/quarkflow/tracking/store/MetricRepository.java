package io.quarkflow.tracking.store;

import io.quarkflow.tracking.domain.Metric;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;

/** Reads metric history; every query is a range of the (run_uuid, key, step, ts, ...) primary key index. */
@ApplicationScoped
public class MetricRepository {

    /** Position in one metric's history, used as a keyset page token. */
    public record Position(long step, long timestamp, double value, boolean isNan) {
    }

    /** A stored point and its position, so a page can end with a token for the next one. */
    public record Point(Metric metric, Position position) {
    }

    private static final String ORDER = " order by step, ts, value, is_nan";

    /** Points after {@code after} (or from the start), at most {@code limit} (or all when null). */
    public Uni<List<Point>> history(SqlClient client, String runId, String key, Position after, Integer limit) {
        String sql = "select key, value, is_nan, ts, step from metrics where run_uuid = $1 and key = $2";
        Tuple args = Tuple.of(runId, key);
        if (after != null) {
            sql += " and (step, ts, value, is_nan) > ($3, $4, $5, $6)";
            args.addLong(after.step()).addLong(after.timestamp()).addDouble(after.value()).addBoolean(after.isNan());
        }
        sql += ORDER;
        if (limit != null) {
            sql += " limit " + limit;
        }
        return client.preparedQuery(sql).execute(args)
                .map(rows -> Rows.map(rows, row -> new Point(toMetric(row), position(row))));
    }

    /** Distinct logged steps of one metric of one run, ascending. */
    public Uni<List<Long>> steps(SqlClient client, String runId, String key) {
        return client.preparedQuery("select distinct step from metrics where run_uuid = $1 and key = $2 order by step")
                .execute(Tuple.of(runId, key))
                .map(rows -> Rows.map(rows, row -> row.getLong(0)));
    }

    public Uni<List<Metric>> atSteps(SqlClient client, String runId, String key, Long[] steps) {
        return client.preparedQuery("select key, value, is_nan, ts, step, run_uuid from metrics "
                        + "where run_uuid = $1 and key = $2 and step = any($3)" + ORDER)
                .execute(Tuple.of(runId, key, steps))
                .map(rows -> Rows.map(rows, row -> new Metric(row.getString(0), value(row), row.getLong(3),
                        row.getLong(4), row.getString(5))));
    }

    static Metric toMetric(Row row) {
        return new Metric(row.getString(0), value(row), row.getLong(3), row.getLong(4));
    }

    static double value(Row row) {
        return row.getBoolean(2) ? Double.NaN : row.getDouble(1);
    }

    private static Position position(Row row) {
        return new Position(row.getLong(4), row.getLong(3), row.getDouble(1), row.getBoolean(2));
    }
}
