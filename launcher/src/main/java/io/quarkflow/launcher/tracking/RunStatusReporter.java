package io.quarkflow.launcher.tracking;

import io.quarkflow.events.ProjectRunTags;
import io.quarkflow.launcher.domain.RunStatus;
import io.quarkflow.launcher.domain.StatusChange;
import io.quarkflow.launcher.metrics.RunMetrics;
import io.quarkflow.mlflow.errors.ErrorCode;
import io.quarkflow.mlflow.errors.MlflowException;
import io.quarkflow.tracking.client.TrackingClient;
import io.quarkflow.tracking.client.TrackingMessages.SetTagRequest;
import io.quarkflow.tracking.client.TrackingMessages.UpdateRunRequest;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Supplier;

/**
 * The launcher's only way to change a run: through tracking-service's API, which then publishes the run events
 * (one writer of run status). Two rules hold for every write:
 * <ul>
 * <li>a terminal status is never written over (the run's own code may have ended it; MLflow's launcher checks the
 * same), and a status the run already has is not written again;</li>
 * <li>writes for one run happen one after another, in the order they were asked for, so that a late RUNNING can
 * never land after a FINISHED that read the run at the same moment.</li>
 * </ul>
 * A run tracking-service does not know is logged and left alone. A reported end is counted ({@link RunMetrics}) by the
 * run's final status: the launcher's, or the run's own when it ended itself first.
 */
@ApplicationScoped
public class RunStatusReporter {

    public static final String FAILURE_TAG = ProjectRunTags.FAILURE;

    private static final Logger LOG = Logger.getLogger(RunStatusReporter.class);
    private static final int ATTEMPTS = 5;

    private final TrackingClient tracking;
    private final RunMetrics metrics;
    /** The last write queued per run; a new one starts when it is done. Entries leave when their queue empties. */
    private final ConcurrentMap<String, CompletableFuture<Void>> queues = new ConcurrentHashMap<>();

    public RunStatusReporter(@RestClient TrackingClient tracking, RunMetrics metrics) {
        this.tracking = tracking;
        this.metrics = metrics;
    }

    /** The run's status as tracking-service has it; null when it does not know the run. */
    public Uni<RunStatus> status(String runId) {
        return tracking.getRun(runId)
                .map(response -> RunStatus.parse(response.run().info().status()))
                .onFailure(RunStatusReporter::unknownRun).recoverWithNull();
    }

    /** Writes the change unless the run already ended or has that status; the failure reason goes first, as a tag. */
    public Uni<Void> report(String runId, StatusChange change) {
        return report(runId, change, null);
    }

    /**
     * The same, only while the run is still {@code expected}: a reconciliation decided from a search result must not
     * act on a run that moved on since (say, one created RUNNING that its submission set SCHEDULED meanwhile).
     */
    public Uni<Void> reportIfStill(RunStatus expected, String runId, StatusChange change) {
        return report(runId, change, expected);
    }

    private Uni<Void> report(String runId, StatusChange change, RunStatus expected) {
        return inOrder(runId, () -> status(runId).chain(current -> {
            if (current != null && current.isTerminal() && expected == null && change.status().isTerminal()
                    && change.status() != RunStatus.KILLED) {
                metrics.finished(current); // it ended itself; its process or Job has ended now too
            }
            if (current == RunStatus.FAILED && change.status() == RunStatus.FAILED && change.failureReason() != null
                    && expected == null) {
                // The run failed itself before its process exited (MLflow's start_run does on an exception): the
                // status stays the run's, the exit code and the end of the output still say why.
                return tracking.setTag(new SetTagRequest(runId, FAILURE_TAG, change.failureReason()));
            }
            if (current == null || current.isTerminal() || current == change.status()
                    || (expected != null && current != expected)) {
                LOG.debugf("Run %s is %s; %s not written", runId, current, change.status());
                return Uni.createFrom().voidItem();
            }
            Uni<Void> reason = change.failureReason() == null ? Uni.createFrom().voidItem()
                    : tracking.setTag(new SetTagRequest(runId, FAILURE_TAG, change.failureReason()));
            Long endTime = change.status().isTerminal() ? System.currentTimeMillis() : null;
            return reason
                    .chain(() -> tracking.updateRun(new UpdateRunRequest(runId, change.status().name(), endTime)))
                    .invoke(() -> {
                        if (change.status().isTerminal()) {
                            metrics.finished(change.status());
                        }
                    })
                    .invoke(() -> LOG.infof("Run %s: %s -> %s%s", runId, current, change.status(),
                            change.failureReason() == null ? "" : " (" + change.failureReason() + ")"))
                    .replaceWithVoid();
        }).onFailure(RunStatusReporter::passing).retry().withBackOff(Duration.ofMillis(200), Duration.ofSeconds(5))
                .atMost(ATTEMPTS));
    }

    /** Sets a tag on the run (the Job or process that executes it), in order with its status writes. */
    public Uni<Void> tag(String runId, String key, String value) {
        return inOrder(runId, () -> tracking.setTag(new SetTagRequest(runId, key, value))
                .onFailure(RunStatusReporter::unknownRun).recoverWithNull()
                .onFailure(RunStatusReporter::passing).retry().withBackOff(Duration.ofMillis(200), Duration.ofSeconds(5))
                .atMost(ATTEMPTS));
    }

    private Uni<Void> inOrder(String runId, Supplier<Uni<Void>> write) {
        return Uni.createFrom().deferred(() -> {
            CompletableFuture<Void> done = new CompletableFuture<>();
            CompletableFuture<Void> previous = queues.put(runId, done);
            Uni<Void> turn = previous == null ? Uni.createFrom().voidItem()
                    : Uni.createFrom().completionStage(previous);
            return turn.chain(ignored -> write.get()).onTermination().invoke(() -> {
                queues.remove(runId, done);
                done.complete(null);
            });
        });
    }

    private static boolean unknownRun(Throwable failure) {
        return failure instanceof MlflowException e && e.errorCode() == ErrorCode.RESOURCE_DOES_NOT_EXIST;
    }

    /** tracking-service unreachable or failing; its refusals (4xx) would not change on a second try. */
    static boolean passing(Throwable failure) {
        return !(failure instanceof MlflowException e) || e.errorCode().httpStatus() >= 500;
    }
}
