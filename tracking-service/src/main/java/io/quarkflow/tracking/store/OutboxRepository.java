package io.quarkflow.tracking.store;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;

/** SQL for the outbox table: events written with a state change, read and deleted by the relay. */
@ApplicationScoped
public class OutboxRepository {

    /** An event as it goes to Kafka: the JSON value of a record on a topic, with its key (the run id). */
    public record OutboxEvent(String topic, String key, String json) {
    }

    /** A stored event; ids grow in the order the events were written. */
    public record OutboxRecord(long id, OutboxEvent event) {
    }

    /** Appends events in the caller's transaction, in list order. */
    public Uni<Void> append(SqlClient client, List<OutboxEvent> events) {
        if (events.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return client.preparedQuery("insert into outbox (topic, record_key, event) values ($1, $2, $3)")
                .executeBatch(events.stream().map(event -> Tuple.of(event.topic(), event.key(), event.json())).toList())
                .replaceWithVoid();
    }

    /**
     * Makes the caller the only relay until its transaction ends; false if another replica's relay is running.
     * One relay at a time keeps each run's events in order, which SKIP LOCKED alone would not: a second relay
     * would skip a run's locked older event and publish its newer one first.
     */
    public Uni<Boolean> lockRelay(SqlClient client) {
        return client.query("select pg_try_advisory_xact_lock(hashtext('quarkflow.outbox'))").execute()
                .map(rows -> rows.iterator().next().getBoolean(0));
    }

    public Uni<List<OutboxRecord>> oldest(SqlClient client, int limit) {
        return client.preparedQuery("select id, topic, record_key, event from outbox order by id limit $1")
                .execute(Tuple.of(limit))
                .map(rows -> Rows.map(rows, row -> new OutboxRecord(row.getLong(0),
                        new OutboxEvent(row.getString(1), row.getString(2), row.getString(3)))));
    }

    /** Deletes exactly the published rows: an older row whose transaction committed meanwhile stays for the next pass. */
    public Uni<Void> delete(SqlClient client, List<OutboxRecord> records) {
        if (records.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return client.preparedQuery("delete from outbox where id = any($1)")
                .execute(Tuple.of(records.stream().map(OutboxRecord::id).toArray(Long[]::new)))
                .replaceWithVoid();
    }
}
