package io.quarkflow.outbox;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/** The service's outbox; the broker itself is configured with Kafka's own {@code kafka.*} properties. */
@ConfigMapping(prefix = "quarkflow.outbox")
public interface OutboxConfig {

    /** The CloudEvents {@code source} of every event this service publishes, e.g. {@code /quarkflow/tracking-service}. */
    String source();

    /** The outbox table, schema-qualified when it is not on the search path; created by the service's own migration (see {@link Outbox}). */
    @WithDefault("outbox")
    String table();

    /** The channel the table's trigger notifies; one per table, so that one service's commits wake only its relay. */
    @WithDefault("quarkflow_outbox")
    String channel();

    /**
     * Wake the relay with PostgreSQL LISTEN/NOTIFY as soon as a change commits. Turn it off behind a
     * transaction-pooling proxy (PgBouncer), which cannot LISTEN; events then wait for the next poll.
     */
    @WithDefault("true")
    boolean listen();

    /** How often the relay looks for events no notification announced, and how long it waits after a failure. */
    @WithDefault("1s")
    Duration pollInterval();

    /** At most this many events per relay transaction. */
    @WithDefault("500")
    int batchSize();
}
