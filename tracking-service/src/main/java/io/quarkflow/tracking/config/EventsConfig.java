package io.quarkflow.tracking.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/** Run lifecycle events; the broker itself is configured with Kafka's own {@code kafka.*} properties. */
@ConfigMapping(prefix = "quarkflow.tracking.events")
public interface EventsConfig {

    /** The CloudEvents {@code source} of every event this service publishes. */
    @WithDefault("/quarkflow/tracking-service")
    String source();

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
