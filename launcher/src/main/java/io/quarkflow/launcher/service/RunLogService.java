package io.quarkflow.launcher.service;

import io.fabric8.kubernetes.client.dsl.PodResource;
import io.quarkflow.launcher.domain.LaunchRefused;
import io.quarkflow.launcher.domain.SourceRules;
import io.quarkflow.launcher.kubernetes.KubernetesLauncher;
import io.quarkflow.launcher.kubernetes.KubernetesLogs;
import io.quarkflow.launcher.local.LocalLogs;
import io.quarkflow.mlflow.errors.MlflowException;
import io.smallrye.mutiny.Multi;
import jakarta.enterprise.context.ApplicationScoped;

import java.nio.file.Path;
import java.util.Optional;

/**
 * A run's output for projects-service: a local run's output file, or a Kubernetes run's pod log. Finding the source
 * blocks (file system, API server): call it on a worker thread. The text then streams without blocking.
 */
@ApplicationScoped
public class RunLogService {

    private final LocalLogs local;
    private final KubernetesLogs kubernetes;
    private final KubernetesLauncher kubernetesLauncher;

    public RunLogService(LocalLogs local, KubernetesLogs kubernetes, KubernetesLauncher kubernetesLauncher) {
        this.local = local;
        this.kubernetes = kubernetes;
        this.kubernetesLauncher = kubernetesLauncher;
    }

    public Multi<String> logs(String runId, Integer tail, boolean follow) {
        if (runId == null || runId.isEmpty()) {
            throw MlflowException.missing("run_id");
        }
        if (tail != null && tail < 0) {
            throw MlflowException.invalidValue("tail", tail, "it must not be negative");
        }
        try {
            SourceRules.runId(runId);
        } catch (LaunchRefused invalid) {
            throw notFound(runId);
        }
        Optional<Path> output = local.output(runId);
        if (output.isPresent()) {
            return local.stream(runId, output.get(), tail, follow);
        }
        if (kubernetesLauncher.enabled()) {
            Optional<PodResource> pod = kubernetes.pod(runId);
            if (pod.isPresent()) {
                return kubernetes.stream(pod.get(), tail, follow);
            }
        }
        throw notFound(runId);
    }

    private static MlflowException notFound(String runId) {
        return MlflowException.notFound("No output of run with id=" + runId + " on this launcher: it ran no such "
                + "run here, or its Job and pods are gone");
    }
}
