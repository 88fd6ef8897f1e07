package io.quarkflow.launcher.events;

import io.smallrye.mutiny.Uni;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RunQueuesTest {

    private final List<String> started = new CopyOnWriteArrayList<>();

    /** Work that records its start and ends when the returned future is completed. */
    private CompletableFuture<Void> work(RunQueues queues, String runId, String name, CompletableFuture<Void> end) {
        return queues.submit(runId, () -> {
            started.add(name);
            return Uni.createFrom().completionStage(end);
        });
    }

    @Test
    void oneRunsWorkStaysInOrderWhileOtherRunsGoAhead() {
        RunQueues queues = new RunQueues(16);
        CompletableFuture<Void> requestEnds = new CompletableFuture<>();
        CompletableFuture<Void> request = work(queues, "a", "a:request", requestEnds);
        CompletableFuture<Void> cancel = work(queues, "a", "a:cancel", CompletableFuture.completedFuture(null));
        CompletableFuture<Void> other = work(queues, "b", "b:request", CompletableFuture.completedFuture(null));

        assertEquals(List.of("a:request", "b:request"), started, "b does not wait for a; a's cancel does");
        assertTrue(other.isDone());
        assertFalse(cancel.isDone());

        requestEnds.complete(null);
        assertEquals(List.of("a:request", "b:request", "a:cancel"), started);
        assertTrue(request.isDone() && cancel.isDone());
    }

    @Test
    void aRunsFailedWorkDoesNotStopItsNextAndIsReportedAsFailed() {
        RunQueues queues = new RunQueues(16);
        CompletableFuture<Void> failed = work(queues, "a", "a:request",
                CompletableFuture.failedFuture(new IllegalStateException("API server away")));
        CompletableFuture<Void> next = work(queues, "a", "a:cancel", CompletableFuture.completedFuture(null));

        assertTrue(failed.isCompletedExceptionally());
        assertTrue(next.isDone() && !next.isCompletedExceptionally());
        assertEquals(List.of("a:request", "a:cancel"), started);
    }

    @Test
    void noMoreIsAdmittedThanTheLimitUntilWorkEnds() {
        RunQueues queues = new RunQueues(2);
        CompletableFuture<Void> firstEnds = new CompletableFuture<>();
        assertTrue(queues.admit().isDone());
        work(queues, "a", "a", firstEnds);
        assertTrue(queues.admit().isDone());
        work(queues, "b", "b", new CompletableFuture<>());

        CompletableFuture<Void> third = queues.admit();
        assertFalse(third.isDone(), "two in progress: the consumer waits");

        firstEnds.complete(null);
        assertTrue(third.isDone(), "a place freed is handed to the waiting record");
    }
}
