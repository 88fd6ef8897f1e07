package io.quarkflow.k8s;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.dsl.PodResource;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.quarkflow.events.ProjectRunRequest;
import io.quarkflow.k8s.RenderedOverlay.ServiceWorkload;
import io.quarkflow.launcher.config.LauncherConfig;
import io.quarkflow.launcher.domain.LaunchRefused;
import io.quarkflow.launcher.kubernetes.JobStatusWatcher;
import io.quarkflow.launcher.kubernetes.KubernetesLauncher;
import io.quarkflow.launcher.kubernetes.KubernetesLogs;
import io.quarkflow.launcher.kubernetes.KubernetesReconciler;
import io.quarkflow.launcher.kubernetes.LeaderElection;
import io.quarkflow.launcher.metrics.RunMetrics;
import io.quarkflow.launcher.tracking.RunCredentials;
import io.quarkflow.launcher.tracking.RunStatusReporter;
import io.quarkflow.launcher.tracking.TrackedRuns;
import io.quarkflow.mlflow.errors.MlflowException;
import io.quarkflow.tracking.client.TrackingClient;
import io.smallrye.mutiny.Uni;

import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * The Kubernetes API calls the launcher makes, recorded rather than listed by hand: its own Kubernetes classes
 * (io.quarkflow.launcher.kubernetes), configured as the overlay configures its pod, run against fabric8's API server
 * in CRUD mode through every public entry point: leader election (which starts the Job and pod informers and the
 * reconciliation), launching a run (again, as a redelivered request does, into each namespace it may use as a
 * submission names it, and into one it may not), reading a run's log (whole, tailed and followed), cancelling runs,
 * renewing and releasing the Lease. Whatever
 * tracking-service would answer does not matter here: a stand-in answers that it knows no run, which the launcher
 * handles by writing nothing.
 */
final class LauncherApiCalls {

    /** A namespace no manifest names, as a submission's backend_config.namespace can be: refused, no call made. */
    static final String SUBMITTED_NAMESPACE = "team-of-a-submission";

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final Duration RELEASE_WAIT = Duration.ofSeconds(3);
    /** The test's own requests (making pods, reading the Lease) carry this agent and are not the launcher's. */
    private static final String SETUP_AGENT = "quarkflow-k8s-manifests-setup";
    private static final String COMMIT = "4b825dc642cb6eb9a060e54bf8d69288fbee4904";

    static {
        // Mutiny finds SmallRye Context Propagation on the classpath, whose provider initialises lazily and not
        // thread-safely ("ContextManagerProvider already set"): once here, before the informers' threads race for it.
        // Quarkus does the same at start.
        Uni.createFrom().item(() -> 0).await().indefinitely();
    }

    private LauncherApiCalls() {
    }

    /** The calls, and the namespaces the launcher may run Jobs in (quarkflow.launcher.kubernetes.namespaces). */
    record Recorded(Set<ApiCall> calls, List<String> jobNamespaces) {
    }

    /** The launcher's calls with the configuration the overlay gives its container. */
    static Recorded record(RenderedOverlay overlay) throws Exception {
        ServiceWorkload service = overlay.service("launcher");
        Map<String, String> env = new HashMap<>(StartConfigurationTest.env(overlay, service).asMap());
        ServiceConfig mounted = ServiceConfig.unvalidated("launcher", env);
        Path template = Files.createTempFile("job-template", ".yaml");
        try {
            Files.writeString(template, jobTemplate(overlay, service, mounted));
            env.put("QUARKFLOW_LAUNCHER_KUBERNETES_JOB_TEMPLATE", template.toString());
            // Not the Secret's placeholder: the key is only used for minting, which is not an API call.
            env.remove("QUARKFLOW_LAUNCHER_RUN_TOKEN_KEY");
            return record(ServiceConfig.of("launcher", env).mapping(LauncherConfig.class));
        } finally {
            Files.deleteIfExists(template);
        }
    }

    /** The Job template file the launcher's configuration names, read from the ConfigMap mounted there. */
    static String jobTemplate(RenderedOverlay overlay, ServiceWorkload launcher, ServiceConfig config) {
        Path file = Path.of(config.get("quarkflow.launcher.kubernetes.job-template")
                .orElseThrow(() -> new AssertionError("The launcher names no Job template")));
        VolumeMount mount = launcher.container().getVolumeMounts().stream()
                .filter(candidate -> file.getParent().equals(Path.of(candidate.getMountPath())))
                .findFirst().orElseThrow(() -> new AssertionError("Nothing is mounted at " + file.getParent()));
        Volume volume = launcher.workload().template().getSpec().getVolumes().stream()
                .filter(candidate -> candidate.getName().equals(mount.getName())).findFirst().orElseThrow();
        if (volume.getConfigMap() == null) {
            throw new AssertionError("The Job template's volume " + volume.getName() + " is not a ConfigMap");
        }
        String key = Optional.ofNullable(volume.getConfigMap().getItems()).orElse(List.of()).stream()
                .filter(item -> item.getPath().equals(file.getFileName().toString()))
                .map(item -> item.getKey()).findFirst().orElse(file.getFileName().toString());
        ConfigMap map = overlay.configMap(launcher.workload().namespace(), volume.getConfigMap().getName())
                .orElseThrow(() -> new AssertionError("No ConfigMap " + volume.getConfigMap().getName()));
        return Optional.ofNullable(map.getData()).map(data -> data.get(key))
                .orElseThrow(() -> new AssertionError("ConfigMap " + map.getMetadata().getName() + " has no key "
                        + key));
    }

    private static Recorded record(LauncherConfig config) throws Exception {
        KubernetesMockServer server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(),
                new KubernetesCrudDispatcher(), false);
        server.init();
        try (KubernetesClient client = server.createClient();
             KubernetesClient setup = new KubernetesClientBuilder()
                     .withConfig(new ConfigBuilder(client.getConfiguration()).withUserAgent(SETUP_AGENT).build())
                     .build()) {
            TrackingClient tracking = knowsNoRun();
            RunStatusReporter reporter = new RunStatusReporter(tracking, new RunMetrics(new SimpleMeterRegistry()));
            KubernetesLauncher launcher = new KubernetesLauncher(client, reporter, config,
                    new RunCredentials(Optional.empty(), Optional.empty()));
            JobStatusWatcher watcher = new JobStatusWatcher(client, reporter, launcher);
            LeaderElection election = new LeaderElection(client, config, watcher,
                    new KubernetesReconciler(new TrackedRuns(tracking), launcher, reporter));
            KubernetesLogs logs = new KubernetesLogs(client, launcher);

            election.start();
            await("the launcher leads and watches", () -> election.leading() && watcher.watching());

            String run = runId();
            launcher.launch(request(run, Map.of())).await().atMost(WAIT);
            launcher.launch(request(run, Map.of())).await().atMost(WAIT);
            List<String> submitted = new ArrayList<>();
            for (String namespace : launcher.namespaces()) {
                submitted.add(runId());
                launcher.launch(request(submitted.get(submitted.size() - 1), Map.of("namespace", namespace)))
                        .await().atMost(WAIT);
            }
            try {
                launcher.launch(request(runId(), Map.of("namespace", SUBMITTED_NAMESPACE))).await().atMost(WAIT);
                throw new AssertionError("A Job was launched into " + SUBMITTED_NAMESPACE);
            } catch (LaunchRefused expected) {
                // and no call made there: LauncherRbacTest checks
            }

            Job job = launcher.jobsOf(run).get(0);
            startPod(setup, job);
            PodResource pod = logs.pod(run).orElseThrow(() -> new AssertionError("No pod for the run's Job"));
            readQuietly(() -> logs.stream(pod, null, false).collect().asList().await().atMost(WAIT));
            readQuietly(() -> logs.stream(pod, 10, false).collect().asList().await().atMost(WAIT));
            readQuietly(() -> logs.stream(pod, 10, true).collect().asList().await().atMost(WAIT));

            launcher.cancel(run).await().atMost(WAIT);
            for (String id : submitted) {
                launcher.cancel(id).await().atMost(WAIT);
            }
            await("every Job is gone", () -> launcher.jobsOf(run).isEmpty()
                    && submitted.stream().allMatch(id -> launcher.jobsOf(id).isEmpty()));

            String leaseNamespace = config.kubernetes().lease().namespace().orElse(client.getNamespace());
            String leaseName = config.kubernetes().lease().name();
            Lease acquired = setup.leases().inNamespace(leaseNamespace).withName(leaseName).get();
            await("the leader renews its Lease", () -> !Objects.equals(acquired.getSpec().getRenewTime(),
                    setup.leases().inNamespace(leaseNamespace).withName(leaseName).get().getSpec().getRenewTime()));
            String renewed = setup.leases().inNamespace(leaseNamespace).withName(leaseName).get().getMetadata()
                    .getResourceVersion();
            election.stop();
            awaitIfAtAll(() -> !renewed.equals(setup.leases().inNamespace(leaseNamespace).withName(leaseName).get()
                    .getMetadata().getResourceVersion())); // the release: a last write, if the elector makes one

            return new Recorded(calls(server), launcher.namespaces());
        } finally {
            server.destroy();
        }
    }

    private static Set<ApiCall> calls(KubernetesMockServer server) throws InterruptedException {
        Set<ApiCall> calls = new LinkedHashSet<>();
        for (RecordedRequest request = server.takeRequest(200, TimeUnit.MILLISECONDS); request != null;
             request = server.takeRequest(200, TimeUnit.MILLISECONDS)) {
            if (!SETUP_AGENT.equals(request.getHeader("User-Agent"))) {
                ApiCall.of(request.getMethod(), request.getPath()).ifPresent(calls::add);
            }
        }
        return calls;
    }

    private static String runId() {
        return UUID.randomUUID().toString().replace("-", "");
    }

    /** A pod as the Job controller and kubelet would make it: the Job's labels, running and ready. */
    private static void startPod(KubernetesClient setup, Job job) {
        Map<String, String> labels = new HashMap<>(job.getSpec().getTemplate().getMetadata().getLabels());
        labels.put("job-name", job.getMetadata().getName());
        String namespace = job.getMetadata().getNamespace();
        var pod = setup.pods().inNamespace(namespace).resource(new PodBuilder()
                .withNewMetadata().withName(job.getMetadata().getName() + "-pod").withLabels(labels).endMetadata()
                .withSpec(job.getSpec().getTemplate().getSpec()).build()).create();
        setup.pods().inNamespace(namespace).withName(pod.getMetadata().getName()).editStatus(current ->
                new PodBuilder(current).editOrNewStatus().withPhase("Running").withStartTime(Instant.now().toString())
                        .withConditions(new PodConditionBuilder().withType("Ready").withStatus("True").build())
                        .endStatus().build());
    }

    private static ProjectRunRequest request(String runId, Map<String, Object> backendConfig) {
        return new ProjectRunRequest(runId, "1", "manifests-check",
                new ProjectRunRequest.Source("git", "https://git.example/project.git", COMMIT, ""), "main",
                "python train.py", Map.of(), new ProjectRunRequest.Environment("docker", "registry.example/train:1",
                List.of(), Map.of(), null), ProjectRunRequest.KUBERNETES, backendConfig, "someone");
    }

    /** tracking-service as the launcher sees it when a run is unknown: every call answers RESOURCE_DOES_NOT_EXIST. */
    private static TrackingClient knowsNoRun() {
        return (TrackingClient) Proxy.newProxyInstance(TrackingClient.class.getClassLoader(),
                new Class<?>[]{TrackingClient.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "toString" -> "tracking-service that knows no run";
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == args[0];
                    default -> Uni.createFrom().failure(MlflowException.notFound("No run here"));
                });
    }

    /** Reading a log from the CRUD server may fail (it keeps no logs); the request it made is what counts. */
    private static void readQuietly(Runnable read) {
        try {
            read.run();
        } catch (RuntimeException ignored) {
            // recorded all the same
        }
    }

    private static void awaitIfAtAll(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + RELEASE_WAIT.toNanos();
        while (!condition.getAsBoolean() && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("Timed out waiting until " + what);
            }
            Thread.sleep(50);
        }
    }
}
