package io.quarkflow.tracking.store;

import io.vertx.mutiny.sqlclient.Row;

import java.util.ArrayList;
import java.util.List;

/** A row of a keyset-paged search and the values of its sort keys, from which the next page's token is made. */
public record KeysetRow<T>(T item, List<Object> sortKeys) {

    /** The {@code count} sort-key columns that follow the row's first {@code from} columns. */
    static List<Object> keys(Row row, int from, int count) {
        List<Object> keys = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            keys.add(row.getValue(from + i));
        }
        return keys;
    }
}
