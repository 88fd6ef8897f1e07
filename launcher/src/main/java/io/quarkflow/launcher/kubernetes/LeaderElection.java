package io.quarkflow.launcher.kubernetes;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderElectionConfigBuilder;
import io.fabric8.kubernetes.client.extended.leaderelection.resourcelock.LeaseLock;
import io.quarkflow.launcher.config.LauncherConfig;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

/**
 * Makes one launcher replica the leader through a coordination.k8s.io Lease (fabric8's LeaderElector): only the
 * leader watches Jobs and reconciles, so each status change is written once however many replicas run. Starting
 * Jobs needs no leader: Kafka gives each run's events to one replica, and a Job's name is derived from its run id.
 * A leader that cannot renew stops watching before another can take over (renew deadline < lease duration).
 */
@ApplicationScoped
public class LeaderElection {

    private static final Logger LOG = Logger.getLogger(LeaderElection.class);

    private final KubernetesClient client;
    private final LauncherConfig.Kubernetes config;
    private final JobStatusWatcher watcher;
    private final KubernetesReconciler reconciler;
    private final String identity;
    private volatile boolean leading;
    private CompletableFuture<?> election;

    public LeaderElection(KubernetesClient client, LauncherConfig config, JobStatusWatcher watcher,
                          KubernetesReconciler reconciler) {
        this.client = client;
        this.config = config.kubernetes();
        this.watcher = watcher;
        this.reconciler = reconciler;
        this.identity = Optional.ofNullable(System.getenv("HOSTNAME")).orElse("launcher") + "-"
                + UUID.randomUUID().toString().substring(0, 8);
    }

    void onStart(@Observes StartupEvent event) {
        if (config.enabled()) {
            start();
        }
    }

    void onStop(@Observes ShutdownEvent event) {
        stop();
    }

    public synchronized void start() {
        if (election != null) {
            return;
        }
        String namespace = config.lease().namespace()
                .orElseGet(() -> client.getNamespace() == null ? "default" : client.getNamespace());
        election = client.leaderElector().withConfig(new LeaderElectionConfigBuilder()
                .withName(config.lease().name())
                .withLock(new LeaseLock(namespace, config.lease().name(), identity))
                .withLeaseDuration(config.lease().duration())
                .withRenewDeadline(config.lease().renewDeadline())
                .withRetryPeriod(config.lease().retryPeriod())
                .withReleaseOnCancel(true)
                .withLeaderCallbacks(new LeaderCallbacks(this::startedLeading, this::stoppedLeading,
                        leader -> LOG.infof("The launcher leader is %s", leader)))
                .build()).build().start();
        LOG.infof("Launcher %s takes part in leader election (Lease %s/%s)", identity, namespace,
                config.lease().name());
    }

    public synchronized void stop() {
        if (election != null) {
            election.cancel(true);
            election = null;
        }
        watcher.stop();
    }

    public boolean leading() {
        return leading;
    }

    public String identity() {
        return identity;
    }

    private void startedLeading() {
        leading = true;
        LOG.infof("Launcher %s leads: watching Jobs and reconciling runs", identity);
        watcher.start();
        reconciler.reconcile().subscribe().with(failed -> {
        }, failure -> LOG.warn("Reconciliation of Kubernetes runs failed; the next leader tries again", failure));
    }

    private void stoppedLeading() {
        leading = false;
        LOG.infof("Launcher %s no longer leads", identity);
        watcher.stop();
    }
}
