package io.quarkflow.launcher.kubernetes;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.LogWatch;
import io.fabric8.kubernetes.client.dsl.PodResource;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.smallrye.mutiny.subscription.MultiEmitter;
import jakarta.enterprise.context.ApplicationScoped;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Comparator;
import java.util.Optional;

/**
 * A Kubernetes run's log: the main container's log of the Job's newest pod, through the API server. With
 * {@code follow} it is streamed chunk by chunk as the container writes it, until the container ends or the client
 * goes away (which closes the watch). A follower holds one worker thread, reading.
 */
@ApplicationScoped
public class KubernetesLogs {

    private static final int CHUNK = 8192;

    private final KubernetesClient client;
    private final KubernetesLauncher launcher;

    public KubernetesLogs(KubernetesClient client, KubernetesLauncher launcher) {
        this.client = client;
        this.launcher = launcher;
    }

    /** The run's newest pod and the container to read, if its Job exists. Blocking. */
    public Optional<PodResource> pod(String runId) {
        Optional<Job> job = launcher.jobsOf(runId).stream().findFirst();
        if (job.isEmpty()) {
            return Optional.empty();
        }
        String namespace = job.get().getMetadata().getNamespace();
        String container = job.get().getSpec().getTemplate().getSpec().getContainers().get(0).getName();
        return client.pods().inNamespace(namespace).withLabel(JobLabels.JOB_NAME, job.get().getMetadata().getName())
                .list().getItems().stream()
                .max(Comparator.comparing((Pod pod) -> pod.getMetadata().getCreationTimestamp() == null ? ""
                        : pod.getMetadata().getCreationTimestamp()))
                .map(pod -> (PodResource) client.pods().inNamespace(namespace).withName(pod.getMetadata().getName())
                        .inContainer(container));
    }

    public Multi<String> stream(PodResource pod, Integer tail, boolean follow) {
        if (!follow) {
            return Multi.createFrom().item(() -> tail == null ? pod.getLog() : pod.tailingLines(tail).getLog())
                    .runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
        }
        return Multi.createFrom().<String>emitter(emitter -> Infrastructure.getDefaultWorkerPool()
                .execute(() -> follow(pod, tail, emitter)));
    }

    private static void follow(PodResource pod, Integer tail, MultiEmitter<? super String> emitter) {
        try (LogWatch watch = tail == null ? pod.watchLog() : pod.tailingLines(tail).watchLog()) {
            emitter.onTermination(watch::close);
            InputStream in = watch.getOutput();
            byte[] buffer = new byte[CHUNK];
            for (int read = in.read(buffer); read >= 0 && !emitter.isCancelled(); read = in.read(buffer)) {
                if (read > 0) {
                    emitter.emit(new String(buffer, 0, read, StandardCharsets.UTF_8));
                }
            }
            emitter.complete();
        } catch (IOException | RuntimeException e) {
            if (!emitter.isCancelled()) {
                emitter.fail(e);
            }
        }
    }
}
