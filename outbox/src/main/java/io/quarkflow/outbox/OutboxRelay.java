package io.quarkflow.outbox;

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

import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Publishes the outbox to Kafka, oldest event first. Each batch is deleted in the transaction that read it, and
 * only after the broker acknowledged the whole batch: a crash or a broker outage before that commit leaves the rows
 * for the next pass. Delivery is therefore at least once, and consumers deduplicate by CloudEvents id.
 * <p>
 * A pass starts when the outbox trigger's NOTIFY arrives (a change just committed), on a periodic tick (events no
 * notification announced: written before a crash, or while the listening connection was down), and again right
 * after a full batch or a notification that came in during a pass.
 */
@ApplicationScoped
public class OutboxRelay {

    private static final Logger LOG = Logger.getLogger(OutboxRelay.class);

    private final Pool pool;
    private final OutboxTable outbox;
    private final KafkaEventPublisher publisher;
    private final OutboxConfig config;
    private final Vertx vertx;
    /** At most one pass at a time in this replica; the advisory lock makes it one across replicas. */
    private final AtomicBoolean running = new AtomicBoolean();
    private final AtomicBoolean requested = new AtomicBoolean();
    private volatile boolean failing;
    private volatile boolean stopped;
    private volatile SqlConnection listener;
    private long timer;

    public OutboxRelay(Pool pool, OutboxTable outbox, KafkaEventPublisher publisher, OutboxConfig config, Vertx vertx) {
        this.pool = pool;
        this.outbox = outbox;
        this.publisher = publisher;
        this.config = config;
        this.vertx = vertx;
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
                .call(records -> records.isEmpty() ? Uni.createFrom().voidItem()
                        : publisher.publish(records.stream().map(OutboxRecord::event).toList()))
                .call(records -> outbox.delete(conn, records))
                .map(List::size));
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
