package io.quarkflow.tracking.store;

import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/** Small helpers for turning row sets into domain records. */
final class Rows {

    private Rows() {
    }

    static <T> List<T> map(RowSet<Row> rows, Function<Row, T> mapper) {
        List<T> result = new ArrayList<>(rows.size());
        for (Row row : rows) {
            result.add(mapper.apply(row));
        }
        return result;
    }

    static <T> T first(RowSet<Row> rows, Function<Row, T> mapper) {
        var iterator = rows.iterator();
        return iterator.hasNext() ? mapper.apply(iterator.next()) : null;
    }
}
