package io.quarkflow.outbox;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/** SQL for the outbox table: events written with a state change, read and deleted by the relay. */
@ApplicationScoped
public class OutboxTable {

    /** A stored event; ids grow in the order the events were written. */
    public record OutboxRecord(long id, OutboxEvent event, Instant createdAt) {
    }

    /** The table name reaches SQL text, so it must be an identifier, optionally schema-qualified. */
    private static final Pattern IDENTIFIER = Pattern.compile("[a-z_][a-z0-9_]*(\\.[a-z_][a-z0-9_]*)?");

    private final String insert;
    private final String lock;
    private final String oldest;
    private final String delete;

    public OutboxTable(OutboxConfig config) {
        String table = config.table();
        if (!IDENTIFIER.matcher(config.channel()).matches() || config.channel().contains(".")) {
            throw new IllegalArgumentException("quarkflow.outbox.channel must be a lower-case SQL identifier: " + config.channel());
        }
        if (!IDENTIFIER.matcher(table).matches()) {
            throw new IllegalArgumentException("quarkflow.outbox.table must be a lower-case SQL identifier: " + table);
        }
        insert = "insert into " + table + " (topic, record_key, event, trace_parent) values ($1, $2, $3, $4)";
        // One lock per table: the relays of different services never wait for each other.
        lock = "select pg_try_advisory_xact_lock(hashtext('quarkflow.outbox:" + table + "'))";
        oldest = "select id, topic, record_key, event, trace_parent, created_at from " + table
                + " order by id limit $1";
        delete = "delete from " + table + " where id = any($1)";
    }

    Uni<Void> append(SqlClient client, List<OutboxEvent> events) {
        if (events.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return client.preparedQuery(insert)
                .executeBatch(events.stream()
                        .map(event -> Tuple.of(event.topic(), event.key(), event.json(), event.traceParent()))
                        .toList())
                .replaceWithVoid();
    }

    /**
     * Makes the caller the only relay until its transaction ends; false if another replica's relay is running.
     * One relay at a time keeps each key's events in order, which SKIP LOCKED alone would not: a second relay
     * would skip a key's locked older event and publish its newer one first.
     */
    public Uni<Boolean> lockRelay(SqlClient client) {
        return client.query(lock).execute().map(rows -> rows.iterator().next().getBoolean(0));
    }

    Uni<List<OutboxRecord>> oldest(SqlClient client, int limit) {
        return client.preparedQuery(oldest).execute(Tuple.of(limit)).map(rows -> {
            List<OutboxRecord> records = new ArrayList<>(rows.size());
            for (Row row : rows) {
                records.add(new OutboxRecord(row.getLong(0),
                        new OutboxEvent(row.getString(1), row.getString(2), row.getString(3), row.getString(4)),
                        row.getOffsetDateTime(5).toInstant()));
            }
            return records;
        });
    }

    /** Deletes exactly the published rows: an older row whose transaction committed meanwhile stays for the next pass. */
    Uni<Void> delete(SqlClient client, List<OutboxRecord> records) {
        if (records.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return client.preparedQuery(delete)
                .execute(Tuple.of(records.stream().map(OutboxRecord::id).toArray(Long[]::new)))
                .replaceWithVoid();
    }
}
