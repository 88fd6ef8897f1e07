package io.quarkflow.launcher.tracking;

import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;

import java.util.concurrent.Callable;

/**
 * Blocking work (fabric8 calls, processes, files) runs on Quarkus' worker pool, never on the event loop or the
 * Kafka polling thread.
 */
public final class Workers {

    private Workers() {
    }

    public static <T> Uni<T> run(Callable<T> blockingWork) {
        return Uni.createFrom().item(() -> {
            try {
                return blockingWork.call();
            } catch (RuntimeException e) {
                throw e;
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            } catch (Exception e) {
                throw new IllegalStateException(e.getMessage(), e);
            }
        }).runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
    }
}
