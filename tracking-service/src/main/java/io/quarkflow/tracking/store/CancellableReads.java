package io.quarkflow.tracking.store;

import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.Cancellable;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.pgclient.PgConnection;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;

/**
 * Runs a costly read (a search) on one connection so that PostgreSQL stops it when nobody waits for the answer.
 *
 * <p>RESTEasy Reactive cancels a resource's Uni when its HTTP client disconnects, but cancelling a Uni of the
 * reactive client only drops the answer: the backend works on until statement_timeout. Here the cancellation sends
 * PostgreSQL a cancel request for the connection's backend (the protocol's CancelRequest, what pg_cancel_backend
 * does) and no further statement of the read starts. The connection goes back to the pool only once the cancel
 * request was delivered and a trivial statement queued behind the read's has answered: its next borrower neither
 * waits behind the cancelled statement nor receives the cancel.
 */
@ApplicationScoped
public class CancellableReads {

    private static final Logger LOG = Logger.getLogger(CancellableReads.class);

    private final Pool pool;

    public CancellableReads(Pool pool) {
        this.pool = pool;
    }

    public <T> Uni<T> run(Function<SqlConnection, Uni<T>> read) {
        Promise<Void> abandoned = Promise.promise();
        return Uni.createFrom().<T>emitter(emitter -> pool.getDelegate()
                        .withConnection(connection -> runOn(connection, read, abandoned.future()))
                        .onComplete(done -> {
                            if (done.succeeded()) {
                                emitter.complete(done.result());
                            } else {
                                emitter.fail(done.cause());
                            }
                        }))
                .onCancellation().invoke(abandoned::tryComplete);
    }

    /** The read's outcome, or after an abandonment a failure nobody sees, once the connection is idle again. */
    private static <T> Future<T> runOn(io.vertx.sqlclient.SqlConnection connection,
                                       Function<SqlConnection, Uni<T>> read, Future<Void> abandoned) {
        if (abandoned.isComplete()) {
            return Future.failedFuture(new IllegalStateException("abandoned before it started"));
        }
        Promise<T> outcome = Promise.promise();
        AtomicBoolean settled = new AtomicBoolean();
        Cancellable running = read.apply(SqlConnection.newInstance(connection)).subscribe().with(
                item -> {
                    if (settled.compareAndSet(false, true)) {
                        outcome.complete(item);
                    }
                },
                failure -> {
                    if (settled.compareAndSet(false, true)) {
                        outcome.fail(failure);
                    }
                });
        abandoned.onSuccess(ignored -> {
            if (settled.compareAndSet(false, true)) {
                running.cancel();
                PgConnection.cast(connection).cancelRequest()
                        .onFailure(failure -> LOG.warnf("Could not cancel an abandoned read in PostgreSQL: %s",
                                failure.toString()))
                        .transform(sent -> connection.query("select 1").execute())
                        .onComplete(idle -> outcome.fail(new IllegalStateException("abandoned by its client")));
            }
        });
        return outcome.future();
    }
}
