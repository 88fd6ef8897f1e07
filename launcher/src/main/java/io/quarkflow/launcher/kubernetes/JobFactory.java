package io.quarkflow.launcher.kubernetes;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.quarkflow.events.ProjectRunRequest;
import io.quarkflow.launcher.domain.KubernetesNames;
import io.quarkflow.launcher.domain.LaunchRefused;
import io.quarkflow.launcher.domain.SourceRules;
import io.quarkflow.mlproject.ProjectArchive;
import io.quarkflow.run.tokens.RunTokens;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * Renders a run's Job from the user's template, as MLflow's Kubernetes backend does: {@code metadata.name} and
 * the first container's {@code name}, {@code image} and {@code command} are replaced and MLflow's three variables
 * added to its env; everything else the template says stays. What MLflow lacks is added, never replacing the
 * template's own values: labels and annotations that link Job and run, an init container that fetches the code into
 * an emptyDir (the working directory), docker_env's variables and volumes, per-run resources, the run token.
 * Pure: no API server is involved.
 *
 * <p>With a run-token key, the token is the run's own, as a plain value in the Job: anyone who can read the Job (or
 * its pods) can use it, but only as that run does (read everything, change only that run), never to change other
 * runs or experiments. Without one, the launcher's shared token (a Secret reference or a value) goes to every Job.
 */
public final class JobFactory {

    public static final String WORKSPACE = "/quarkflow/workspace";
    public static final String WORKSPACE_VOLUME = "quarkflow-workspace";
    public static final String FETCH_CONTAINER = "quarkflow-fetch-code";

    /**
     * The init container's whole program. It is a constant: the request's values reach it only as environment
     * variables, quoted wherever they are expanded, so no value is ever read as shell code. The commit and the URI
     * are checked not to start with '-' before ({@link SourceRules}).
     */
    public static final String FETCH_SCRIPT = """
            set -eu
            cd "$QUARKFLOW_WORKSPACE"
            case "$QUARKFLOW_SOURCE_KIND" in
            git)
              git init -q .
              git remote add origin "$QUARKFLOW_GIT_URI"
              git fetch -q --depth 1 origin "$QUARKFLOW_GIT_COMMIT"
              git checkout -q FETCH_HEAD
              ;;
            archive)
              auth="X-Quarkflow-Anonymous: 1"
              if [ -n "${MLFLOW_TRACKING_TOKEN:-}" ]; then auth="Authorization: Bearer $MLFLOW_TRACKING_TOKEN"; fi
              if command -v curl >/dev/null 2>&1; then
                curl -fsSL -H "$auth" -o /tmp/project-archive "$QUARKFLOW_ARCHIVE_URL"
              else
                wget -q --header "$auth" -O /tmp/project-archive "$QUARKFLOW_ARCHIVE_URL"
              fi
              if [ "$QUARKFLOW_ARCHIVE_FORMAT" = zip ]; then
                unzip -q /tmp/project-archive -d .
              else
                tar -xzf /tmp/project-archive -C .
              fi
              rm -f /tmp/project-archive
              ;;
            *)
              echo "unknown project source kind: $QUARKFLOW_SOURCE_KIND" >&2
              exit 2
              ;;
            esac
            chmod -R a+rwX .
            """;

    /**
     * What the launcher's configuration adds to every Job.
     *
     * @param trackingUri  MLFLOW_TRACKING_URI as pods see it, also the base of archive downloads
     * @param defaultImage for projects without a docker_env image
     * @param initImage    the fetching init container's image
     * @param runTokens    mints each run's own MLFLOW_TRACKING_TOKEN, preferred over both shared tokens below
     * @param token        the runs' shared MLFLOW_TRACKING_TOKEN as a plain value, when configured
     * @param tokenSecret  the Secret holding the shared token (name, key), preferred over {@code token}
     * @param hostEnv      the launcher's own environment, for docker_env variables given without a value
     */
    public record Settings(String trackingUri, String defaultImage, String initImage, Optional<RunTokens> runTokens,
                           Optional<String> token, Optional<Map.Entry<String, String>> tokenSecret,
                           UnaryOperator<String> hostEnv) {
    }

    private final Settings settings;

    public JobFactory(Settings settings) {
        this.settings = settings;
    }

    /** backend_config {@code namespace}, else the template's, else the launcher's default. */
    public static String namespace(ProjectRunRequest request, Job template, String defaultNamespace) {
        Object configured = request.backendConfig() == null ? null : request.backendConfig().get("namespace");
        if (configured instanceof String namespace && !namespace.isBlank()) {
            return namespace;
        }
        return namespace(template, defaultNamespace);
    }

    /** The namespace of a run whose backend_config names none: its template's, else the default. */
    public static String namespace(Job template, String defaultNamespace) {
        if (template.getMetadata() != null && template.getMetadata().getNamespace() != null) {
            return template.getMetadata().getNamespace();
        }
        return defaultNamespace;
    }

    public Job render(Job template, ProjectRunRequest request, String namespace) {
        if (request.command() == null || request.command().isBlank()) {
            throw new LaunchRefused("The request has no command to run");
        }
        Job job = new JobBuilder(template).build();
        ObjectMeta metadata = job.getMetadata() == null ? new ObjectMeta() : job.getMetadata();
        job.setMetadata(metadata);
        metadata.setName(KubernetesNames.jobName(request.runId()));
        metadata.setNamespace(namespace);
        metadata.setLabels(added(metadata.getLabels(), runLabels(request)));
        metadata.setAnnotations(added(metadata.getAnnotations(), annotations(request)));

        if (job.getSpec() == null || job.getSpec().getTemplate() == null || job.getSpec().getTemplate().getSpec() == null
                || job.getSpec().getTemplate().getSpec().getContainers() == null
                || job.getSpec().getTemplate().getSpec().getContainers().isEmpty()) {
            throw new LaunchRefused("The Job template has no spec.template.spec.containers");
        }
        ObjectMeta podMetadata = job.getSpec().getTemplate().getMetadata() == null ? new ObjectMeta()
                : job.getSpec().getTemplate().getMetadata();
        job.getSpec().getTemplate().setMetadata(podMetadata);
        podMetadata.setLabels(added(podMetadata.getLabels(), runLabels(request)));

        PodSpec pod = job.getSpec().getTemplate().getSpec();
        Container main = pod.getContainers().get(0);
        main.setName(KubernetesNames.containerName(request.projectName()));
        main.setImage(image(request));
        main.setCommand(List.of("/bin/sh", "-c", request.command()));
        main.setWorkingDir(workingDirectory(request));
        main.setEnv(concat(main.getEnv(), runEnv(request)));
        main.setResources(resources(main.getResources(), request));

        List<Volume> volumes = new ArrayList<>();
        List<VolumeMount> mounts = new ArrayList<>();
        volumes.add(new VolumeBuilder().withName(WORKSPACE_VOLUME).withNewEmptyDir().endEmptyDir().build());
        mounts.add(new VolumeMountBuilder().withName(WORKSPACE_VOLUME).withMountPath(WORKSPACE).build());
        hostVolumes(request, volumes, mounts);
        main.setVolumeMounts(concat(main.getVolumeMounts(), mounts));
        pod.setVolumes(concat(pod.getVolumes(), volumes));
        pod.setInitContainers(concat(pod.getInitContainers(), List.of(fetchContainer(request))));
        return job;
    }

    private static Map<String, String> runLabels(ProjectRunRequest request) {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put(JobLabels.MANAGED_BY, JobLabels.MANAGER);
        labels.put(JobLabels.RUN_ID, KubernetesNames.labelValue(request.runId()));
        if (request.experimentId() != null) {
            labels.put(JobLabels.EXPERIMENT_ID, KubernetesNames.labelValue(request.experimentId()));
        }
        return labels;
    }

    private static Map<String, String> annotations(ProjectRunRequest request) {
        Map<String, String> annotations = new LinkedHashMap<>();
        annotations.put(JobLabels.RUN_ID, request.runId());
        annotations.put(JobLabels.PROJECT_NAME_ANNOTATION, request.projectName() == null ? "" : request.projectName());
        annotations.put(JobLabels.ENTRY_POINT_ANNOTATION, request.entryPoint() == null ? "" : request.entryPoint());
        ProjectRunRequest.Source source = request.source();
        if (source != null) {
            String subdirectory = source.subdirectory() == null || source.subdirectory().isEmpty() ? ""
                    : "#" + source.subdirectory();
            annotations.put(JobLabels.SOURCE_ANNOTATION, source.uri() + subdirectory
                    + (source.version() == null ? "" : "@" + source.version()));
        }
        return annotations;
    }

    private String image(ProjectRunRequest request) {
        ProjectRunRequest.Environment environment = request.environment();
        if (environment != null && "docker".equals(environment.type()) && environment.image() != null
                && !environment.image().isBlank()) {
            return environment.image();
        }
        return settings.defaultImage();
    }

    private static String workingDirectory(ProjectRunRequest request) {
        List<String> subdirectory = SourceRules.subdirectory(request.source() == null ? null
                : request.source().subdirectory());
        return subdirectory.isEmpty() ? WORKSPACE : WORKSPACE + "/" + String.join("/", subdirectory);
    }

    /** The request's variables, docker_env's, then MLflow's three and the token, which win over the others. */
    private List<EnvVar> runEnv(ProjectRunRequest request) {
        List<EnvVar> env = new ArrayList<>();
        if (request.env() != null) {
            request.env().forEach((name, value) -> env.add(new EnvVar(name, value, null)));
        }
        ProjectRunRequest.Environment environment = request.environment();
        if (environment != null && environment.variables() != null) {
            environment.variables().forEach((name, value) -> {
                String resolved = value != null ? value : settings.hostEnv().apply(name);
                if (resolved == null) {
                    throw new LaunchRefused("docker_env variable " + name
                            + " is to be copied from the launcher's environment, where it is not set");
                }
                env.add(new EnvVar(name, resolved, null));
            });
        }
        env.add(new EnvVar("MLFLOW_TRACKING_URI", settings.trackingUri(), null));
        env.add(new EnvVar("MLFLOW_RUN_ID", request.runId(), null));
        env.add(new EnvVar("MLFLOW_EXPERIMENT_ID", request.experimentId(), null));
        tokenVariable(request).ifPresent(env::add);
        return env;
    }

    private Optional<EnvVar> tokenVariable(ProjectRunRequest request) {
        if (settings.runTokens().isPresent()) {
            return Optional.of(new EnvVar("MLFLOW_TRACKING_TOKEN", settings.runTokens().get().mint(request.runId()),
                    null));
        }
        if (settings.tokenSecret().isPresent()) {
            Map.Entry<String, String> secret = settings.tokenSecret().get();
            return Optional.of(new EnvVarBuilder().withName("MLFLOW_TRACKING_TOKEN").withNewValueFrom()
                    .withNewSecretKeyRef(secret.getValue(), secret.getKey(), false).endValueFrom().build());
        }
        return settings.token().map(token -> new EnvVar("MLFLOW_TRACKING_TOKEN", token, null));
    }

    /** backend_config {@code resources}: {@code {"requests": {"cpu": "1"}, "limits": {"memory": "2Gi"}}}. */
    private static ResourceRequirements resources(ResourceRequirements template, ProjectRunRequest request) {
        Object configured = request.backendConfig() == null ? null : request.backendConfig().get("resources");
        if (configured == null) {
            return template;
        }
        if (!(configured instanceof Map<?, ?> resources)) {
            throw new LaunchRefused("backend_config resources must be an object with requests and limits");
        }
        ResourceRequirements result = template == null ? new ResourceRequirements() : template;
        for (Map.Entry<?, ?> entry : resources.entrySet()) {
            if (!(entry.getValue() instanceof Map<?, ?> quantities)) {
                throw new LaunchRefused("backend_config resources." + entry.getKey() + " must be an object");
            }
            Map<String, Quantity> merged;
            if ("requests".equals(entry.getKey())) {
                merged = added(result.getRequests(), quantities(quantities));
                result.setRequests(merged);
            } else if ("limits".equals(entry.getKey())) {
                merged = added(result.getLimits(), quantities(quantities));
                result.setLimits(merged);
            } else {
                throw new LaunchRefused("backend_config resources has requests and limits, not " + entry.getKey());
            }
        }
        return result;
    }

    private static Map<String, Quantity> quantities(Map<?, ?> values) {
        Map<String, Quantity> quantities = new LinkedHashMap<>();
        values.forEach((name, value) -> {
            try {
                Quantity quantity = new Quantity(String.valueOf(value));
                Quantity.getAmountInBytes(quantity);
                quantities.put(String.valueOf(name), quantity);
            } catch (IllegalArgumentException | ArithmeticException e) {
                throw new LaunchRefused("backend_config resources: '" + value + "' is not a quantity");
            }
        });
        return quantities;
    }

    /** docker_env volumes {@code /host:/container[:ro|rw]}, as hostPath volumes. */
    private static void hostVolumes(ProjectRunRequest request, List<Volume> volumes, List<VolumeMount> mounts) {
        ProjectRunRequest.Environment environment = request.environment();
        if (environment == null || environment.volumes() == null) {
            return;
        }
        int index = 0;
        for (String volume : environment.volumes()) {
            String[] parts = volume.split(":");
            if (parts.length < 2 || parts.length > 3 || !parts[0].startsWith("/") || !parts[1].startsWith("/")) {
                throw new LaunchRefused("docker_env volume '" + volume + "' is not /host/path:/container/path[:ro]");
            }
            String name = "quarkflow-volume-" + index++;
            volumes.add(new VolumeBuilder().withName(name).withNewHostPath().withPath(parts[0]).endHostPath().build());
            mounts.add(new VolumeMountBuilder().withName(name).withMountPath(parts[1])
                    .withReadOnly(parts.length == 3 && parts[2].equals("ro")).build());
        }
    }

    private Container fetchContainer(ProjectRunRequest request) {
        ProjectRunRequest.Source source = request.source();
        if (source == null || source.kind() == null) {
            throw new LaunchRefused("The request names no project source");
        }
        List<EnvVar> env = new ArrayList<>();
        env.add(new EnvVar("QUARKFLOW_WORKSPACE", WORKSPACE, null));
        env.add(new EnvVar("QUARKFLOW_SOURCE_KIND", source.kind(), null));
        switch (source.kind()) {
            case SourceRules.GIT -> {
                env.add(new EnvVar("QUARKFLOW_GIT_URI", SourceRules.gitUri(source.uri()), null));
                env.add(new EnvVar("QUARKFLOW_GIT_COMMIT", SourceRules.commit(source.version()), null));
            }
            case SourceRules.ARCHIVE -> {
                String url = settings.trackingUri().replaceAll("/+$", "") + ProjectArchive.downloadPath(source.uri());
                env.add(new EnvVar("QUARKFLOW_ARCHIVE_URL", url, null));
                env.add(new EnvVar("QUARKFLOW_ARCHIVE_FORMAT", ProjectArchive.format(source.uri()), null));
                tokenVariable(request).ifPresent(env::add);
            }
            case SourceRules.LOCAL -> throw new LaunchRefused("A local directory source (" + source.uri()
                    + ") cannot run on Kubernetes; upload the project or use a Git repository");
            default -> throw new LaunchRefused("Unknown project source kind '" + source.kind() + "'");
        }
        return new ContainerBuilder()
                .withName(FETCH_CONTAINER)
                .withImage(settings.initImage())
                .withCommand("/bin/sh", "-c", FETCH_SCRIPT)
                .withEnv(env)
                .addNewVolumeMount().withName(WORKSPACE_VOLUME).withMountPath(WORKSPACE).endVolumeMount()
                .build();
    }

    private static <V> Map<String, V> added(Map<String, V> existing, Map<String, V> additions) {
        Map<String, V> all = new LinkedHashMap<>(existing == null ? Map.of() : existing);
        all.putAll(additions);
        return all;
    }

    private static <T> List<T> concat(List<T> existing, List<T> additions) {
        List<T> all = new ArrayList<>(existing == null ? List.of() : existing);
        all.addAll(additions);
        return all;
    }
}
