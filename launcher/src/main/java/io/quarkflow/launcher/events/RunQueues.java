package io.quarkflow.launcher.events;

import io.smallrye.mutiny.Uni;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Supplier;

/**
 * Runs the launcher's work for different runs side by side and for one run in the order it arrived: a run's
 * cancel never overtakes its request, while one slow clone or Job creation no longer holds up everybody else's.
 * At most {@code limit} pieces of work are in progress; {@link #admit()} completes when there is room, which is how
 * the consumer stops taking records from Kafka while the launcher is busy.
 */
final class RunQueues {

    private static final CompletableFuture<Void> DONE = CompletableFuture.completedFuture(null);

    private final int limit;
    private final ConcurrentMap<String, CompletableFuture<Void>> tails = new ConcurrentHashMap<>();
    private int inProgress;
    private CompletableFuture<Void> waiting;

    RunQueues(int limit) {
        this.limit = limit;
    }

    /** Completes once fewer than {@code limit} pieces of work are in progress, and takes that place. */
    synchronized CompletableFuture<Void> admit() {
        if (inProgress < limit) {
            inProgress++;
            return DONE;
        }
        waiting = new CompletableFuture<>();
        return waiting;
    }

    /**
     * Starts {@code work} after the run's earlier work ended (whichever way), on an admitted place; the result says
     * how this piece ended. Called in the order the records arrive.
     */
    CompletableFuture<Void> submit(String runId, Supplier<Uni<Void>> work) {
        CompletableFuture<Void> mine = new CompletableFuture<>();
        CompletableFuture<Void> before = tails.put(runId, mine);
        (before == null ? DONE : before)
                .handle((ignored, failure) -> null)
                .thenCompose(ignored -> work.get().subscribeAsCompletionStage())
                .whenComplete((ignored, failure) -> {
                    tails.remove(runId, mine);
                    release();
                    if (failure == null) {
                        mine.complete(null);
                    } else {
                        mine.completeExceptionally(failure);
                    }
                });
        return mine;
    }

    private void release() {
        CompletableFuture<Void> admitted;
        synchronized (this) {
            admitted = waiting;
            waiting = null;
            if (admitted == null) {
                inProgress--;
            }
        }
        if (admitted != null) {
            admitted.complete(null); // the place passes to the record that waited for it
        }
    }
}
