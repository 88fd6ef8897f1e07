package io.quarkflow.outbox;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkflow.events.CloudEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * Where a service writes its events: rows appended in the caller's transaction, after the change they describe, so
 * that an event exists only if its change commits. {@link OutboxRelay} publishes them.
 * <p>
 * The service creates its table ({@link OutboxConfig#table()}) with its own migration: columns {@code id bigint
 * generated always as identity primary key, topic text, record_key text, event text, created_at timestamptz,
 * trace_parent text} (nullable: the writing request's trace, {@link EventTracing}), and a statement-level
 * {@code after insert} trigger that calls {@code pg_notify} on {@link OutboxConfig#channel()} (tracking-service's
 * {@code V3__outbox.sql} and {@code V10__outbox_trace_context.sql} are the model).
 */
@ApplicationScoped
public class Outbox {

    /** Plain, not the REST mapper: the contracts name their own fields, and MLflow's wire settings must not leak in. */
    private static final ObjectMapper JSON = new ObjectMapper();

    private final OutboxTable table;
    private final String source;
    private final EventTracing tracing;

    public Outbox(OutboxTable table, OutboxConfig config, EventTracing tracing) {
        this.table = table;
        this.source = config.source();
        this.tracing = tracing;
    }

    /** Appends events in the caller's transaction, in list order. */
    public Uni<Void> append(SqlClient client, List<OutboxEvent> events) {
        return table.append(client, events);
    }

    /**
     * A structured-mode CloudEvent from this service, with a fresh id, in the trace of the request being handled.
     *
     * @param key     the Kafka record key, which orders the events that share it
     * @param subject what the event is about (a run id, a model id)
     * @param type    the data record's {@code TYPE}
     */
    public OutboxEvent event(String topic, String key, String subject, String type, Instant time, Object data) {
        CloudEvent<Object> event = new CloudEvent<>(CloudEvent.SPEC_VERSION, type, source, UUID.randomUUID().toString(),
                time.toString(), subject, CloudEvent.DATA_CONTENT_TYPE, data);
        try {
            return new OutboxEvent(topic, key, JSON.writeValueAsString(event), tracing.current());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Cannot serialise " + type, e);
        }
    }
}
