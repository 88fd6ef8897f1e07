package io.quarkflow.launcher.kubernetes;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.quarkflow.launcher.domain.JobObservation;
import io.quarkflow.launcher.domain.JobObservation.ContainerObservation;
import io.quarkflow.launcher.domain.RunStatus;
import io.quarkflow.launcher.domain.StatusChange;
import io.quarkflow.launcher.tracking.RunStatusReporter;
import io.quarkflow.launcher.tracking.Workers;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Follows the launcher's Jobs and their pods with informers (a watch, not polling) and reports each run's status
 * as its Job moves: started → RUNNING, Complete → FINISHED, Failed → FAILED with Kubernetes' reason (and an
 * OOMKilled container named), a pod that cannot start → FAILED and the Job deleted, a Job deleted by someone else
 * → FAILED. Runs only on the leader ({@link LeaderElection}), so that two replicas never write one change twice.
 * An informer's first listing reports what changed while no leader watched. One pair of informers per namespace
 * the launcher may use ({@link KubernetesLauncher#namespaces()}): its rights reach no other.
 */
@ApplicationScoped
public class JobStatusWatcher {

    private static final Logger LOG = Logger.getLogger(JobStatusWatcher.class);
    private static final int REMEMBERED_RUNS = 10_000;

    private final KubernetesClient client;
    private final RunStatusReporter reporter;
    private final KubernetesLauncher launcher;
    /** The status last reported per run, so that repeated events about an unchanged Job cost no call. */
    private final Map<String, RunStatus> reported = Collections.synchronizedMap(new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, RunStatus> eldest) {
            return size() > REMEMBERED_RUNS;
        }
    });
    /** Per namespace, while watching; null when not. */
    private volatile Map<String, SharedIndexInformer<Job>> jobs;
    private volatile Map<String, SharedIndexInformer<Pod>> pods;

    public JobStatusWatcher(KubernetesClient client, RunStatusReporter reporter, KubernetesLauncher launcher) {
        this.client = client;
        this.reporter = reporter;
        this.launcher = launcher;
    }

    public synchronized void start() {
        if (jobs != null) {
            return;
        }
        reported.clear();
        // Pods first, so that a Job's first events find its pods.
        pods = inform(namespace -> client.pods().inNamespace(namespace)
                .withLabel(JobLabels.MANAGED_BY, JobLabels.MANAGER)
                .inform(new Handler<>(this::podChanged, pod -> {
                }), 0));
        jobs = inform(namespace -> client.batch().v1().jobs().inNamespace(namespace)
                .withLabel(JobLabels.MANAGED_BY, JobLabels.MANAGER)
                .inform(new Handler<>(this::jobChanged, this::jobDeleted), 0));
        LOG.infof("Watching the launcher's Jobs in %s", String.join(", ", launcher.namespaces()));
    }

    public synchronized void stop() {
        if (jobs != null) {
            jobs.values().forEach(SharedIndexInformer::close);
            pods.values().forEach(SharedIndexInformer::close);
            jobs = null;
            pods = null;
            LOG.info("Stopped watching Jobs");
        }
    }

    public synchronized boolean watching() {
        return jobs != null && Stream.concat(jobs.values().stream(), pods.values().stream())
                .allMatch(SharedIndexInformer::hasSynced);
    }

    /** One informer per namespace the launcher may use. */
    private <T> Map<String, SharedIndexInformer<T>> inform(Function<String, SharedIndexInformer<T>> informer) {
        return launcher.namespaces().stream().collect(Collectors.toUnmodifiableMap(namespace -> namespace, informer));
    }

    private void jobChanged(Job job) {
        String runId = runId(job);
        if (runId == null || stoppedByLauncher(job)) {
            return;
        }
        JobObservation observation = observe(job);
        Optional<StatusChange> fatal = observation.fatalWaiting();
        if (fatal.isPresent() && !observation.complete() && !observation.failed()) {
            reporter.report(runId, fatal.get())
                    .chain(() -> Workers.run(() -> {
                        launcher.stop(job, fatal.get().failureReason());
                        return null;
                    }))
                    .subscribe().with(done -> reported.put(runId, RunStatus.FAILED),
                            failure -> LOG.warnf(failure, "Could not fail run %s", runId));
            return;
        }
        observation.status().ifPresent(change -> report(runId, change));
    }

    private void podChanged(Pod pod) {
        String jobName = pod.getMetadata().getLabels() == null ? null
                : pod.getMetadata().getLabels().get(JobLabels.JOB_NAME);
        SharedIndexInformer<Job> informer = informer(jobs, pod.getMetadata().getNamespace());
        if (jobName == null || informer == null) {
            return;
        }
        Job job = informer.getStore().getByKey(pod.getMetadata().getNamespace() + "/" + jobName);
        if (job != null) {
            jobChanged(job);
        }
    }

    private void jobDeleted(Job job) {
        String runId = runId(job);
        if (runId == null || stoppedByLauncher(job)) {
            return;
        }
        JobObservation observation = observe(job);
        StatusChange change = observation.complete() || observation.failed() ? observation.status().orElseThrow()
                : StatusChange.failed("Job " + observation.jobKey() + " was deleted outside Quarkflow");
        report(runId, change);
    }

    private void report(String runId, StatusChange change) {
        if (reported.get(runId) == change.status()) {
            return;
        }
        reporter.report(runId, change).subscribe().with(done -> reported.put(runId, change.status()),
                failure -> LOG.warnf(failure, "Could not report run %s as %s", runId, change.status()));
    }

    private JobObservation observe(Job job) {
        String namespace = job.getMetadata().getNamespace();
        String name = job.getMetadata().getName();
        JobStatus status = job.getStatus() == null ? new JobStatus() : job.getStatus();
        Optional<JobCondition> failed = condition(status, "Failed");
        List<ContainerObservation> containers = new ArrayList<>();
        SharedIndexInformer<Pod> informer = informer(pods, namespace);
        if (informer != null) {
            informer.getStore().list().stream()
                    .filter(pod -> pod.getMetadata().getLabels() != null
                            && name.equals(pod.getMetadata().getLabels().get(JobLabels.JOB_NAME)))
                    .filter(pod -> pod.getStatus() != null)
                    .flatMap(pod -> Stream.concat(statuses(pod.getStatus().getInitContainerStatuses()),
                            statuses(pod.getStatus().getContainerStatuses())))
                    .map(JobStatusWatcher::container)
                    .forEach(containers::add);
        }
        return new JobObservation(namespace + "/" + name, status.getStartTime() != null,
                status.getActive() == null ? 0 : status.getActive(), condition(status, "Complete").isPresent(),
                failed.isPresent(), failed.map(JobStatusWatcher::why).orElse(null), containers);
    }

    /** The namespace's informer, null when not watching it. */
    private static <T> SharedIndexInformer<T> informer(Map<String, SharedIndexInformer<T>> informers,
                                                      String namespace) {
        return informers == null ? null : informers.get(namespace);
    }

    private static Stream<ContainerStatus> statuses(List<ContainerStatus> statuses) {
        return statuses == null ? Stream.empty() : statuses.stream();
    }

    private static ContainerObservation container(ContainerStatus status) {
        var state = status.getState();
        var terminated = state != null && state.getTerminated() != null ? state.getTerminated()
                : status.getLastState() == null ? null : status.getLastState().getTerminated();
        var waiting = state == null ? null : state.getWaiting();
        return new ContainerObservation(status.getName(), state != null && state.getRunning() != null,
                waiting == null ? null : waiting.getReason(), waiting == null ? null : waiting.getMessage(),
                terminated == null ? null : terminated.getReason(), terminated == null ? null : terminated.getExitCode());
    }

    private static Optional<JobCondition> condition(JobStatus status, String type) {
        return status.getConditions() == null ? Optional.empty() : status.getConditions().stream()
                .filter(condition -> type.equals(condition.getType()) && "True".equals(condition.getStatus()))
                .findFirst();
    }

    private static String why(JobCondition condition) {
        return Stream.of(condition.getReason(), condition.getMessage())
                .filter(part -> part != null && !part.isBlank())
                .reduce((reason, message) -> reason + ": " + message).orElse("");
    }

    private static String runId(Job job) {
        return job.getMetadata().getAnnotations() == null ? null
                : job.getMetadata().getAnnotations().get(JobLabels.RUN_ID);
    }

    private static boolean stoppedByLauncher(Job job) {
        return job.getMetadata().getAnnotations() != null
                && job.getMetadata().getAnnotations().containsKey(JobLabels.STOPPED_ANNOTATION);
    }

    /** Routes informer events; a deleted object's last known state arrives in onDelete. */
    private record Handler<T>(java.util.function.Consumer<T> changed, java.util.function.Consumer<T> deleted)
            implements ResourceEventHandler<T> {

        @Override
        public void onAdd(T object) {
            safely(changed, object);
        }

        @Override
        public void onUpdate(T previous, T current) {
            safely(changed, current);
        }

        @Override
        public void onDelete(T object, boolean finalStateUnknown) {
            safely(deleted, object);
        }

        private static <T> void safely(java.util.function.Consumer<T> handler, T object) {
            try {
                handler.accept(object);
            } catch (RuntimeException e) {
                LOG.warnf(e, "Could not handle a change of %s", object instanceof HasMetadata resource
                        ? resource.getKind() + " " + resource.getMetadata().getNamespace() + "/"
                        + resource.getMetadata().getName() : object);
            }
        }
    }
}
