package io.quarkflow.launcher.kubernetes;

import io.quarkflow.launcher.domain.KubernetesNames;
import io.quarkflow.launcher.domain.RunStatus;
import io.quarkflow.launcher.domain.StatusChange;
import io.quarkflow.launcher.tracking.RunStatusReporter;
import io.quarkflow.launcher.tracking.TrackedRuns;
import io.quarkflow.launcher.tracking.Workers;
import io.quarkflow.tracking.client.TrackingMessages.Run;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

/**
 * What a new leader does once: a run that tracking-service says is RUNNING on Kubernetes but whose Job no longer
 * exists can never be reported by the watcher (its Job ended and was deleted while no leader watched), so it
 * becomes FAILED. SCHEDULED runs are left alone: their request may still wait in Kafka, and its Job does not
 * exist yet. Jobs that still exist are the watcher's: its first listing reports what they did meanwhile.
 */
@ApplicationScoped
public class KubernetesReconciler {

    private static final Logger LOG = Logger.getLogger(KubernetesReconciler.class);

    private final TrackedRuns runs;
    private final KubernetesLauncher launcher;
    private final RunStatusReporter reporter;

    public KubernetesReconciler(TrackedRuns runs, KubernetesLauncher launcher, RunStatusReporter reporter) {
        this.runs = runs;
        this.launcher = launcher;
        this.reporter = reporter;
    }

    /** The number of runs it failed. */
    public Uni<Integer> reconcile() {
        return runs.running("kubernetes")
                .onItem().transformToUniAndConcatenate(run -> Workers.run(() -> launcher.jobsOf(runId(run)).isEmpty())
                        .chain(gone -> gone ? fail(run).replaceWith(1) : Uni.createFrom().item(0)))
                .collect().with(java.util.stream.Collectors.summingInt(Integer::intValue))
                .invoke(failed -> LOG.infof("Reconciled Kubernetes runs: %d without a Job failed", failed));
    }

    private Uni<Void> fail(Run run) {
        String runId = runId(run);
        String job = TrackedRuns.tag(run, JobLabels.JOB_TAG).orElse(KubernetesNames.jobName(runId));
        return reporter.reportIfStill(RunStatus.RUNNING, runId, StatusChange.failed("Job " + job
                + " no longer exists: it ended or was deleted while no launcher watched it, so its outcome is unknown"));
    }

    private static String runId(Run run) {
        return run.info().runId();
    }
}
