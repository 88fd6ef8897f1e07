package io.quarkflow.launcher.local;

import io.quarkflow.launcher.domain.RunStatus;
import io.quarkflow.launcher.domain.StatusChange;
import io.quarkflow.launcher.tracking.RunStatusReporter;
import io.quarkflow.launcher.tracking.TrackedRuns;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.nio.file.Files;

/**
 * After a restart, the local runs tracking-service still says are RUNNING have lost their process with the old
 * launcher: they become FAILED. Only runs with a directory under this launcher's work dir are touched, so a
 * launcher on another machine does not fail the runs of its peer.
 */
@ApplicationScoped
public class LocalReconciler {

    private static final Logger LOG = Logger.getLogger(LocalReconciler.class);

    private final TrackedRuns runs;
    private final LocalRuns local;
    private final LocalLauncher launcher;
    private final RunStatusReporter reporter;

    public LocalReconciler(TrackedRuns runs, LocalRuns local, LocalLauncher launcher, RunStatusReporter reporter) {
        this.runs = runs;
        this.local = local;
        this.launcher = launcher;
        this.reporter = reporter;
    }

    /** The number of runs it failed. */
    public Uni<Integer> reconcile() {
        return runs.running("local")
                .map(run -> run.info().runId())
                .emitOn(Infrastructure.getDefaultWorkerPool()) // the directory check touches the file system
                .select().where(runId -> local.get(runId).isEmpty() && ownDirectory(runId))
                .onItem().transformToUniAndConcatenate(runId -> reporter.reportIfStill(
                        RunStatus.RUNNING, runId, StatusChange.failed(LocalLauncher.RESTARTED)).replaceWith(1))
                .collect().with(java.util.stream.Collectors.summingInt(Integer::intValue))
                .invoke(failed -> LOG.infof("Reconciled local runs: %d lost with a restart failed", failed));
    }

    private boolean ownDirectory(String runId) {
        try {
            return Files.isDirectory(launcher.workDir(runId));
        } catch (RuntimeException invalidId) {
            return false;
        }
    }
}
