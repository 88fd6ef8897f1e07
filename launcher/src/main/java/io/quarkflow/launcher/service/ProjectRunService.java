package io.quarkflow.launcher.service;

import io.quarkflow.events.ProjectRunCancel;
import io.quarkflow.events.ProjectRunRequest;
import io.quarkflow.launcher.config.LauncherConfig;
import io.quarkflow.launcher.domain.LaunchRefused;
import io.quarkflow.launcher.domain.RunStatus;
import io.quarkflow.launcher.domain.SourceRules;
import io.quarkflow.launcher.domain.StatusChange;
import io.quarkflow.launcher.kubernetes.KubernetesLauncher;
import io.quarkflow.launcher.local.LocalLauncher;
import io.quarkflow.launcher.metrics.RunMetrics;
import io.quarkflow.launcher.tracking.RunStatusReporter;
import io.quarkflow.mlflow.errors.MlflowException;
import io.quarkflow.mlproject.ProjectException;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.function.Function;

/**
 * Executes project-run requests and cancels on their backend. Each is idempotent, as delivery is at least once:
 * a run that already ended is left alone (a request delivered again after its cancel must not start it anew),
 * and each backend recognises a run it already started. A request that cannot be executed makes its run FAILED
 * with the reason; a passing failure (tracking-service or the API server away) is tried again with back-off, and
 * after {@code quarkflow.launcher.retry-for} fails the message, so that the consumer stops and is restarted.
 */
@ApplicationScoped
public class ProjectRunService {

    private static final Logger LOG = Logger.getLogger(ProjectRunService.class);

    private final RunStatusReporter reporter;
    private final LocalLauncher local;
    private final KubernetesLauncher kubernetes;
    private final Duration retryFor;
    private final RunMetrics metrics;

    public ProjectRunService(RunStatusReporter reporter, LocalLauncher local, KubernetesLauncher kubernetes,
                             LauncherConfig config, RunMetrics metrics) {
        this.reporter = reporter;
        this.local = local;
        this.kubernetes = kubernetes;
        this.retryFor = config.retryFor();
        this.metrics = metrics;
    }

    public Uni<Void> launch(ProjectRunRequest request) {
        return Uni.createFrom().deferred(() -> reporter.status(SourceRules.runId(request.runId())))
                .chain(current -> {
                    if (current == null) {
                        LOG.warnf("Run %s is unknown to tracking-service; its request is dropped", request.runId());
                        return Uni.createFrom().voidItem();
                    }
                    if (current.isTerminal()) {
                        LOG.infof("Run %s is %s already; its request changes nothing", request.runId(), current);
                        return Uni.createFrom().voidItem();
                    }
                    String backend = backend(request.backend());
                    Uni<Void> launched = switch (backend) {
                        case ProjectRunRequest.LOCAL -> local.launch(request, current);
                        default -> kubernetes.launch(request);
                    };
                    // A RUNNING run was launched before: a request delivered again, or a local run a restart lost.
                    return current == RunStatus.RUNNING ? launched : launched.invoke(() -> metrics.launched(backend));
                })
                .onFailure(ProjectRunService::refused).recoverWithUni(refused -> refuse(request.runId(), refused))
                .plug(withRetries("request", request.runId()));
    }

    public Uni<Void> cancel(ProjectRunCancel cancel) {
        return Uni.createFrom().deferred(() -> {
                    String runId = SourceRules.runId(cancel.runId());
                    return ProjectRunRequest.LOCAL.equals(backend(cancel.backend())) ? local.cancel(runId)
                            : kubernetes.cancel(runId);
                })
                .onFailure(LaunchRefused.class).recoverWithUni(refused -> {
                    LOG.warnf("Cancel of run %s ignored: %s", cancel.runId(), refused.getMessage());
                    return Uni.createFrom().voidItem();
                })
                .plug(withRetries("cancel", cancel.runId()));
    }

    private String backend(String backend) {
        if (ProjectRunRequest.LOCAL.equals(backend)) {
            return backend;
        }
        if (!ProjectRunRequest.KUBERNETES.equals(backend)) {
            throw new LaunchRefused("Unknown backend '" + backend + "'; the launcher runs local and kubernetes");
        }
        if (!kubernetes.enabled()) {
            throw new LaunchRefused("The kubernetes backend is not enabled on this launcher "
                    + "(quarkflow.launcher.kubernetes.enabled)");
        }
        return backend;
    }

    private Uni<Void> refuse(String runId, Throwable refused) {
        LOG.infof("Run %s cannot be executed: %s", runId, refused.getMessage());
        return reporter.report(runId, StatusChange.failed(refused.getMessage()));
    }

    private Function<Uni<Void>, Uni<Void>> withRetries(String what, String runId) {
        return uni -> uni
                .onFailure(ProjectRunService::passing).invoke(failure -> LOG.warnf("The %s of run %s failed, "
                        + "trying again: %s", what, runId, failure.toString()))
                .onFailure(ProjectRunService::passing).retry()
                .withBackOff(Duration.ofSeconds(1), Duration.ofSeconds(30)).expireIn(retryFor.toMillis());
    }

    /** A request this launcher cannot execute, however often it tries: the run fails with the reason. */
    private static boolean refused(Throwable failure) {
        return failure instanceof LaunchRefused || failure instanceof ProjectException;
    }

    private static boolean passing(Throwable failure) {
        return !refused(failure) && !(failure instanceof MlflowException e && e.errorCode().httpStatus() < 500);
    }
}
