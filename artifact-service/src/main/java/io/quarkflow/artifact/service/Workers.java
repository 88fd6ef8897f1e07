package io.quarkflow.artifact.service;

import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;

import java.util.function.Supplier;

/** Storage calls block (file system, MinIO SDK); they run on Quarkus' worker pool, never on the event loop. */
final class Workers {

    private Workers() {
    }

    static <T> Uni<T> run(Supplier<T> blockingWork) {
        return Uni.createFrom().item(blockingWork).runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
    }

    static Uni<Void> run(Runnable blockingWork) {
        return Uni.createFrom().<Void>item(() -> {
            blockingWork.run();
            return null;
        }).runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
    }
}
