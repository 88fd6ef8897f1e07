package io.quarkflow.launcher.kubernetes;

import io.fabric8.kubernetes.api.model.DeletionPropagation;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.quarkflow.events.ProjectRunRequest;
import io.quarkflow.launcher.config.LauncherConfig;
import io.quarkflow.launcher.domain.KubernetesNames;
import io.quarkflow.launcher.domain.LaunchRefused;
import io.quarkflow.launcher.domain.StatusChange;
import io.quarkflow.launcher.tracking.RunCredentials;
import io.quarkflow.launcher.tracking.RunStatusReporter;
import io.quarkflow.launcher.tracking.Workers;
import io.quarkus.runtime.Startup;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.net.HttpURLConnection;
import java.nio.file.Path;
import java.util.AbstractMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Starts and stops runs as Kubernetes Jobs. Creating is idempotent: the Job's name follows from the run id, so a
 * request delivered twice meets 409 AlreadyExists the second time, which means "done". Status is not read here:
 * {@link JobStatusWatcher} follows the Jobs. Jobs go only into the namespaces of
 * {@code quarkflow.launcher.kubernetes.namespaces}, whatever a submission asks for: its template could otherwise run
 * privileged pods in any namespace the launcher's rights reach.
 */
// Created at start-up, on the main thread: the constructor reads the server's Job template file (blocking).
@Startup
@ApplicationScoped
public class KubernetesLauncher {

    private static final Logger LOG = Logger.getLogger(KubernetesLauncher.class);

    private final KubernetesClient client;
    private final RunStatusReporter reporter;
    private final LauncherConfig.Kubernetes config;
    private final JobTemplates templates;
    private final JobFactory factory;
    private final List<String> namespaces;

    public KubernetesLauncher(KubernetesClient client, RunStatusReporter reporter, LauncherConfig config,
                              RunCredentials credentials) {
        this.client = client;
        this.reporter = reporter;
        this.config = config.kubernetes();
        this.templates = new JobTemplates(this.config.jobTemplate().map(Path::of), client.getKubernetesSerialization());
        Map<String, String> hostEnv = new HashMap<>(System.getenv());
        this.factory = new JobFactory(new JobFactory.Settings(
                this.config.trackingUri().orElse(config.trackingUri()),
                this.config.defaultImage(),
                this.config.initImage(),
                credentials.runTokens(),
                config.runToken(),
                this.config.tokenSecret().name()
                        .map(name -> new AbstractMap.SimpleImmutableEntry<>(name, this.config.tokenSecret().key())),
                hostEnv::get));
        this.namespaces = !enabled() ? List.of() : allowedNamespaces(this.config.namespaces(),
                () -> JobFactory.namespace(templates.serversTemplate(), defaultNamespace()));
    }

    /**
     * quarkflow.launcher.kubernetes.namespaces, each once; unset, the one namespace that runs naming none go to
     * (the server's template's, else quarkflow.launcher.kubernetes.namespace, else the client's).
     */
    static List<String> allowedNamespaces(Optional<List<String>> listed, Supplier<String> runsDefault) {
        return listed.map(namespaces -> namespaces.stream().distinct().toList())
                .orElseGet(() -> List.of(runsDefault.get()));
    }

    public boolean enabled() {
        return config.enabled();
    }

    /** Creates the run's Job (or finds it created) and tags the run with it. */
    public Uni<Void> launch(ProjectRunRequest request) {
        return Workers.run(() -> create(request))
                .chain(key -> reporter.tag(request.runId(), JobLabels.JOB_TAG, key));
    }

    /** Deletes the run's Job, its pods with it, and marks the run KILLED (unless it already ended). */
    public Uni<Void> cancel(String runId) {
        return Workers.run(() -> {
            jobsOf(runId).forEach(job -> stop(job, "cancelled"));
            return null;
        }).chain(() -> reporter.report(runId, StatusChange.killed()));
    }

    /**
     * Marks the Job as stopped by the launcher (so that its deletion is not taken for someone else's), then deletes
     * it in the background propagation mode: the API server returns at once and its garbage collector removes the
     * pods. Blocking.
     */
    void stop(Job job, String reason) {
        var resource = client.batch().v1().jobs().inNamespace(job.getMetadata().getNamespace())
                .withName(job.getMetadata().getName());
        try {
            resource.edit(current -> new io.fabric8.kubernetes.api.model.batch.v1.JobBuilder(current)
                    .editMetadata().addToAnnotations(JobLabels.STOPPED_ANNOTATION, reason).endMetadata().build());
        } catch (KubernetesClientException e) {
            if (e.getCode() != HttpURLConnection.HTTP_NOT_FOUND) {
                throw e;
            }
            return;
        }
        resource.withPropagationPolicy(DeletionPropagation.BACKGROUND).delete();
        LOG.infof("Deleted Job %s/%s: %s", job.getMetadata().getNamespace(), job.getMetadata().getName(), reason);
    }

    /** Where Jobs may run: quarkflow.launcher.kubernetes.namespaces. */
    public List<String> namespaces() {
        return namespaces;
    }

    /** The run's Jobs in the launcher's namespaces (one, unless someone copied it). Blocking. */
    public List<Job> jobsOf(String runId) {
        return namespaces.stream()
                .flatMap(namespace -> client.batch().v1().jobs().inNamespace(namespace)
                        .withLabel(JobLabels.MANAGED_BY, JobLabels.MANAGER)
                        .withLabel(JobLabels.RUN_ID, KubernetesNames.labelValue(runId))
                        .list().getItems().stream())
                .toList();
    }

    private String create(ProjectRunRequest request) {
        Job template = templates.template(request);
        String namespace = JobFactory.namespace(request, template, defaultNamespace());
        if (!namespaces.contains(namespace)) {
            throw new LaunchRefused("namespace \"" + namespace + "\" is not one the launcher may run Jobs in "
                    + "(quarkflow.launcher.kubernetes.namespaces: " + String.join(", ", namespaces) + ")");
        }
        Job job = factory.render(template, request, namespace);
        String key = namespace + "/" + job.getMetadata().getName();
        try {
            client.batch().v1().jobs().inNamespace(namespace).resource(job).create();
            LOG.infof("Created Job %s for run %s", key, request.runId());
        } catch (KubernetesClientException e) {
            if (e.getCode() != HttpURLConnection.HTTP_CONFLICT) {
                throw e;
            }
            LOG.infof("Job %s for run %s exists already: a request delivered again", key, request.runId());
        }
        return key;
    }

    private String defaultNamespace() {
        return config.namespace().orElseGet(() -> client.getNamespace() == null ? "default" : client.getNamespace());
    }
}
