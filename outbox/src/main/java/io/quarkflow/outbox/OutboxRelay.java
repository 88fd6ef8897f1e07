package io.quarkflow.outbox;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkflow.outbox.OutboxTable.OutboxRecord;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.pgclient.PgConnection;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;

/**
 * Publishes the outbox to Kafka, oldest event first. Each batch is deleted in the transaction that read it, and
 * only after the broker acknowledged the whole batch: a crash or a broker outage before that commit leaves the rows
 * for the next pass. Delivery is therefore at least once, and consumers deduplicate by CloudEvents id.
 * <p>
 * A pass starts when the outbox trigger's NOTIFY arrives (a change just committed), on a periodic tick (events no
 * notification announced: written before a crash, or while the listening connection was down), and again right
 * after a full batch or a notification that came in during a pass.
 * <p>
 * Metrics: {@code quarkflow_events_published_total} by topic, and {@code quarkflow_outbox_lag_seconds}, the age of
 * the oldest event this relay last found waiting (0 once it has published all it found; on the replica that holds
 * the relay lock), which grows while Kafka is away.
 */
@ApplicationScoped
public class OutboxRelay {

    private static final Logger LOG = Logger.getLogger(OutboxRelay.class);

    private final Pool pool;
    private final OutboxTable outbox;
    private final KafkaEventPublisher publisher;
    private final OutboxConfig config;
    private final Vertx vertx;
    private final MeterRegistry meters;
    /** At most one pass at a time in this replica; the advisory lock makes it one across replicas. */
    private final AtomicBoolean running = new AtomicBoolean();
    private final AtomicBoolean requested = new AtomicBoolean();
    private volatile boolean failing;
    private volatile boolean stopped;
    private volatile SqlConnection listener;
    private long timer;
    /** When the oldest event found waiting was written; null when the last pass found none or published all. */
    private volatile Instant oldestWaiting;

    public OutboxRelay(Pool pool, OutboxTable outbox, KafkaEventPublisher publisher, OutboxConfig config, Vertx vertx,
                       MeterRegistry meters) {
        this.pool = pool;
        this.outbox = outbox;
        this.publisher = publisher;
        this.config = config;
        this.vertx = vertx;
        this.meters = meters;
        Gauge.builder("quarkflow.outbox.lag", this, OutboxRelay::lagSeconds)
                .baseUnit("seconds")
                .description("Age of the oldest event waiting in the outbox to be published to Kafka")
                .register(meters);
    }

    void start(@Observes StartupEvent event) {
        timer = vertx.setPeriodic(config.pollInterval().toMillis(), id -> relay());
        if (config.listen()) {
            listen();
        }
        relay();
    }

    void stop(@Observes ShutdownEvent event) {
        stopped = true;
        vertx.cancelTimer(timer);
        SqlConnection connection = listener;
        if (connection != null) {
            connection.closeAndForget();
        }
    }

    /** Starts a pass, or has the running one go round again so that it sees what committed meanwhile. */
    public void relay() {
        requested.set(true);
        if (!stopped && running.compareAndSet(false, true)) {
            drain();
        }
    }

    private void drain() {
        requested.set(false);
        publishBatch().subscribe().with(this::passed, this::passFailed);
    }

    private void passed(int published) {
        if (failing) {
            failing = false;
            LOG.info("Publishing events again");
        }
        if (!stopped && (published == config.batchSize() || requested.get())) {
            drain();
            return;
        }
        running.set(false);
        if (requested.get()) {
            relay(); // asked for between the check above and the reset
        }
    }

    private void passFailed(Throwable failure) {
        if (stopped) {
            return;
        }
        if (!failing) {
            failing = true;
            LOG.warnf("Cannot publish events; they stay in the outbox and are retried every %d ms: %s",
                    config.pollInterval().toMillis(), failure.toString());
        }
        // Keep "running" during the pause so that notifications do not turn it into a busy retry loop.
        vertx.setTimer(config.pollInterval().toMillis(), id -> {
            running.set(false);
            relay();
        });
    }

    /** One batch: published and deleted by the relay holding the lock; 0 when another replica holds it. */
    private Uni<Integer> publishBatch() {
        return pool.withTransaction(conn -> outbox.lockRelay(conn)
                .chain(leader -> leader ? outbox.oldest(conn, config.batchSize()) : Uni.createFrom().item(List.<OutboxRecord>of()))
                .invoke(records -> oldestWaiting = records.isEmpty() ? null : records.get(0).createdAt())
                .call(records -> records.isEmpty() ? Uni.createFrom().voidItem()
                        : publisher.publish(records.stream().map(OutboxRecord::event).toList()))
                .call(records -> outbox.delete(conn, records)))
                .invoke(this::published)
                .map(List::size);
    }

    /** After the commit: counted, and the lag is gone unless a full batch left more behind (the next pass reads it). */
    private void published(List<OutboxRecord> records) {
        if (records.size() < config.batchSize()) {
            oldestWaiting = null;
        }
        Map<String, Long> byTopic = records.stream()
                .collect(Collectors.groupingBy(record -> record.event().topic(), Collectors.counting()));
        byTopic.forEach((topic, count) -> Counter.builder("quarkflow.events.published")
                .description("Events the outbox relay published to Kafka (acknowledged by the broker)")
                .tag("topic", topic)
                .register(meters)
                .increment(count));
    }

    private double lagSeconds() {
        Instant oldest = oldestWaiting;
        return oldest == null ? 0 : Math.max(0, Duration.between(oldest, Instant.now()).toMillis() / 1000.0);
    }

    private void listen() {
        pool.getConnection()
                .call(connection -> connection.query("listen " + config.channel()).execute()
                        .onFailure().call(connection::close))
                .subscribe().with(this::listening, failure -> relisten());
    }

    private void listening(SqlConnection connection) {
        PgConnection.cast(connection)
                .notificationHandler(notification -> relay())
                .closeHandler(this::relisten);
        listener = connection;
        relay(); // whatever committed before the handler was in place
    }

    /** The listening connection is gone (say, PostgreSQL restarted): the periodic pass covers until it is back. */
    private void relisten() {
        listener = null;
        if (!stopped) {
            vertx.setTimer(config.pollInterval().toMillis(), id -> listen());
        }
    }
}
