package io.quarkflow.launcher.service;

import io.quarkflow.launcher.local.LocalReconciler;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import io.quarkflow.launcher.config.LauncherConfig;
import org.jboss.logging.Logger;

import java.time.Duration;

/**
 * At start, fails the local runs the previous launcher process left RUNNING ({@link LocalReconciler}); tried again
 * for a while when tracking-service is not up yet. Kubernetes runs are reconciled by each new leader instead.
 */
@ApplicationScoped
public class StartupReconciliation {

    private static final Logger LOG = Logger.getLogger(StartupReconciliation.class);

    private final LocalReconciler local;
    private final boolean enabled;

    public StartupReconciliation(LocalReconciler local, LauncherConfig config) {
        this.local = local;
        this.enabled = config.local().reconcileAtStart();
    }

    void onStart(@Observes StartupEvent event) {
        if (!enabled) {
            return;
        }
        local.reconcile()
                .onFailure().retry().withBackOff(Duration.ofSeconds(1), Duration.ofSeconds(30)).atMost(10)
                .subscribe().with(failed -> {
                }, failure -> LOG.warn("Could not reconcile local runs with tracking-service", failure));
    }
}
