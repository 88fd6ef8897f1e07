package io.quarkflow.k8s;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.PodAffinityTerm;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.WeightedPodAffinityTerm;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.quarkflow.k8s.RenderedOverlay.Workload;
import io.quarkflow.launcher.config.LauncherConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static io.quarkflow.k8s.Overlays.NAMESPACE;
import static io.quarkflow.k8s.Overlays.RUNS_NAMESPACE;
import static io.quarkflow.k8s.Overlays.SERVICES;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The rendered overlays' shape: the resources each must have, every field one the Kubernetes API knows, selectors
 * that select, and every container locked down and sized. Probes, references and RBAC have tests of their own.
 */
class ManifestsTest {

    private static final String OVERLAYS = "io.quarkflow.k8s.Overlays#all";
    private static final String NAME_LABEL = "app.kubernetes.io/name";

    @Test
    void theDevAndProdOverlaysExist() {
        assertTrue(Repository.overlayNames().containsAll(List.of("dev", "prod")), Repository.overlayNames()::toString);
    }

    @ParameterizedTest
    @MethodSource(OVERLAYS)
    void everyServiceHasItsDeploymentServiceConfigMapAndDisruptionBudget(String name) {
        RenderedOverlay overlay = RenderedOverlay.of(name);
        for (String service : SERVICES) {
            assertTrue(overlay.find(Deployment.class, NAMESPACE, service).isPresent(),
                    name + ": Deployment " + service);
            assertTrue(overlay.find(Service.class, NAMESPACE, service).isPresent(), name + ": Service " + service);
            assertTrue(overlay.find(ConfigMap.class, NAMESPACE, service).isPresent(), name + ": ConfigMap " + service);
            assertTrue(overlay.find(PodDisruptionBudget.class, NAMESPACE, service).isPresent(),
                    name + ": PodDisruptionBudget " + service);
        }
        assertTrue(overlay.find(Namespace.class, null, NAMESPACE).isPresent(), name + ": Namespace " + NAMESPACE);
        assertTrue(overlay.find(Namespace.class, null, RUNS_NAMESPACE).isPresent(),
                name + ": Namespace " + RUNS_NAMESPACE);
        assertTrue(overlay.find(ConfigMap.class, NAMESPACE, "launcher-job-template").isPresent(), name);
        assertTrue(overlay.findWritten(ConfigMap.class, NAMESPACE, "quarkflow-backing-services").isPresent(),
                name + ": the ConfigMap quarkflow-backing-services says where PostgreSQL, Kafka and S3 are");
        assertTrue(overlay.find(ServiceAccount.class, NAMESPACE, "launcher").isPresent(), name);
        assertTrue(overlay.find(Role.class, RUNS_NAMESPACE, "quarkflow-launcher").isPresent(), name);
        assertTrue(overlay.find(RoleBinding.class, RUNS_NAMESPACE, "quarkflow-launcher").isPresent(), name);
        assertEquals(List.of(), overlay.all(ClusterRole.class), name + ": nothing needs rights in every namespace");
        assertEquals(List.of(), overlay.all(ClusterRoleBinding.class), name);
        for (String service : List.of("tracking-service", "artifact-service", "projects-service", "launcher")) {
            assertTrue(overlay.find(NetworkPolicy.class, NAMESPACE, service + "-ingress").isPresent(),
                    name + ": only its callers reach " + service);
        }
    }

    @Test
    void theDevOverlayBringsPostgresKafkaMinioTheBucketAndEverySecret() {
        RenderedOverlay dev = RenderedOverlay.of("dev");
        for (String store : List.of("postgres", "kafka", "minio")) {
            assertTrue(dev.find(StatefulSet.class, NAMESPACE, store).isPresent(), "StatefulSet " + store);
            assertTrue(dev.find(Service.class, NAMESPACE, store).isPresent(), "Service " + store);
            assertEquals(1, dev.find(StatefulSet.class, NAMESPACE, store).orElseThrow().getSpec().getReplicas());
        }
        assertTrue(dev.find(Job.class, NAMESPACE, "minio-bucket").isPresent(), "artifact-service needs its bucket");
        for (String secret : List.of("quarkflow-db", "quarkflow-s3", "quarkflow-internal-key",
                "quarkflow-run-token-key", "quarkflow-ui-session-key", "quarkflow-gateway-auth")) {
            assertTrue(dev.findWritten(Secret.class, NAMESPACE, secret).isPresent(), "Secret " + secret);
        }
        assertTrue(dev.expected.secrets().isEmpty() && dev.expected.services().isEmpty(), "dev is self-contained");
    }

    @Test
    void theProdOverlayRunsNoStoreAndMakesNoSecret() {
        RenderedOverlay prod = RenderedOverlay.of("prod");
        assertEquals(List.of(), prod.all(StatefulSet.class), "prod uses the operator's PostgreSQL, Kafka and S3");
        assertEquals(List.of(), prod.all(Secret.class), "prod's Secrets are made for the installation, not published");
        assertFalse(prod.expected.secrets().isEmpty(), "prod lists the Secrets it expects (" + Expected.FILE + ")");
        assertFalse(prod.expected.services().isEmpty(), "prod lists the Services it expects (" + Expected.FILE + ")");
        for (String service : SERVICES) {
            assertTrue(prod.find(Deployment.class, NAMESPACE, service).orElseThrow().getSpec().getReplicas() >= 2,
                    service + " keeps answering while one replica is away");
        }
    }

    /** fabric8's model is generated from the Kubernetes OpenAPI schema: what it does not know, the API would not. */
    @ParameterizedTest
    @MethodSource(OVERLAYS)
    void everyFieldIsOneTheKubernetesApiKnows(String name) {
        List<String> unknown = new ArrayList<>();
        for (HasMetadata resource : RenderedOverlay.of(name).resources) {
            unknownFields(resource, resource.getKind() + " " + resource.getMetadata().getName(), unknown);
        }
        assertEquals(List.of(), unknown, name + ": fields the API does not know (misspelt or misplaced)");
    }

    @ParameterizedTest
    @MethodSource(OVERLAYS)
    void everyWorkloadSelectsItsOwnPodsAndNoOther(String name) {
        RenderedOverlay overlay = RenderedOverlay.of(name);
        for (Workload workload : overlay.workloads()) {
            if (workload.owner() instanceof Job) {
                continue; // the Job controller writes its selector itself
            }
            assertTrue(selects(workload.selector(), workload.labels()), workload + ": its selector "
                    + workload.selector() + " does not match its pod labels " + workload.labels());
            for (Workload other : overlay.workloads()) {
                if (other.owner() != workload.owner() && other.namespace().equals(workload.namespace())) {
                    assertFalse(selects(workload.selector(), other.labels()), workload + " would adopt " + other
                            + "'s pods");
                }
            }
        }
    }

    @ParameterizedTest
    @MethodSource(OVERLAYS)
    void everyServiceSelectsTheWorkloadWhosePortsItNames(String name) {
        RenderedOverlay overlay = RenderedOverlay.of(name);
        for (Service service : overlay.all(Service.class)) {
            List<Workload> selected = overlay.workloads().stream()
                    .filter(workload -> workload.namespace().equals(service.getMetadata().getNamespace()))
                    .filter(workload -> overlay.servicesSelecting(workload).contains(service))
                    .toList();
            assertEquals(1, selected.size(), name + ": Service " + service.getMetadata().getName()
                    + " must select the pods of one workload, selects " + selected);
            Set<String> portNames = selected.get(0).containers().stream()
                    .flatMap(container -> container.getPorts() == null ? Stream.empty() : container.getPorts().stream())
                    .map(port -> port.getName()).filter(Objects::nonNull).collect(Collectors.toSet());
            service.getSpec().getPorts().forEach(port -> {
                if (port.getTargetPort() != null && port.getTargetPort().getStrVal() != null) {
                    assertTrue(portNames.contains(port.getTargetPort().getStrVal()), name + ": Service "
                            + service.getMetadata().getName() + " targets port " + port.getTargetPort().getStrVal()
                            + ", which " + selected.get(0) + " does not name");
                }
            });
        }
    }

    @ParameterizedTest
    @MethodSource(OVERLAYS)
    void everyDisruptionBudgetAndNetworkPolicySelectsRealPods(String name) {
        RenderedOverlay overlay = RenderedOverlay.of(name);
        for (PodDisruptionBudget budget : overlay.all(PodDisruptionBudget.class)) {
            List<Workload> selected = selected(overlay, budget.getMetadata().getNamespace(),
                    budget.getSpec().getSelector());
            assertEquals(1, selected.size(), name + ": PodDisruptionBudget " + budget.getMetadata().getName()
                    + " selects " + selected);
            assertTrue(selected.get(0).owner() instanceof Deployment, budget.getMetadata().getName());
        }
        for (NetworkPolicy policy : overlay.all(NetworkPolicy.class)) {
            String namespace = policy.getMetadata().getNamespace();
            assertFalse(selected(overlay, namespace, policy.getSpec().getPodSelector()).isEmpty(),
                    name + ": NetworkPolicy " + policy.getMetadata().getName() + " selects no pod");
            policy.getSpec().getIngress().stream()
                    .flatMap(rule -> rule.getFrom().stream())
                    .map(NetworkPolicyPeer::getPodSelector)
                    .filter(Objects::nonNull)
                    .forEach(from -> assertFalse(selected(overlay, namespace, from).isEmpty(), name
                            + ": NetworkPolicy " + policy.getMetadata().getName() + " admits " + from.getMatchLabels()
                            + ", which no pod is"));
        }
    }

    @ParameterizedTest
    @MethodSource(OVERLAYS)
    void theStatelessServicesSpreadOverNodesAndBudgetTheirDisruptions(String name) {
        RenderedOverlay overlay = RenderedOverlay.of(name);
        for (String service : SERVICES) {
            Deployment deployment = overlay.find(Deployment.class, NAMESPACE, service).orElseThrow();
            Map<String, String> labels = deployment.getSpec().getTemplate().getMetadata().getLabels();
            var antiAffinity = Optional.ofNullable(deployment.getSpec().getTemplate().getSpec().getAffinity())
                    .map(affinity -> affinity.getPodAntiAffinity());
            List<WeightedPodAffinityTerm> preferred = antiAffinity
                    .map(anti -> anti.getPreferredDuringSchedulingIgnoredDuringExecution()).orElse(List.of());
            List<PodAffinityTerm> terms = new ArrayList<>();
            preferred.forEach(term -> terms.add(term.getPodAffinityTerm()));
            antiAffinity.map(anti -> anti.getRequiredDuringSchedulingIgnoredDuringExecution()).ifPresent(terms::addAll);
            assertTrue(terms.stream().anyMatch(term -> "kubernetes.io/hostname".equals(term.getTopologyKey())
                            && selects(term.getLabelSelector(), labels)),
                    name + ": " + service + " has no pod anti-affinity keeping its replicas on different nodes");
            PodDisruptionBudget budget = overlay.find(PodDisruptionBudget.class, NAMESPACE, service).orElseThrow();
            assertTrue(selects(budget.getSpec().getSelector(), labels), name + ": " + service);
            assertEquals(1, budget.getSpec().getMaxUnavailable() == null ? null
                    : budget.getSpec().getMaxUnavailable().getIntVal(), name + ": " + service
                    + "'s budget lets one replica go at a time, whatever the replica count");
        }
    }

    /**
     * Every namespace the launcher may run Jobs in (whose pod templates a submission can bring) is one of the overlay's,
     * and Pod Security Admission enforces at least "baseline" there: no privileged pods, host namespaces or host paths.
     */
    @ParameterizedTest
    @MethodSource(OVERLAYS)
    void everyNamespaceTheLauncherRunsJobsInEnforcesPodSecurity(String name) {
        RenderedOverlay overlay = RenderedOverlay.of(name);
        LauncherConfig.Kubernetes launcher = ServiceConfig.of("launcher",
                StartConfigurationTest.env(overlay, overlay.service("launcher")).asMap())
                .mapping(LauncherConfig.class).kubernetes();
        List<String> namespaces = launcher.namespaces().orElseGet(() -> launcher.namespace().map(List::of)
                .orElseThrow(() -> new AssertionError(name + ": the launcher names no namespace for Jobs")));
        for (String runs : namespaces) {
            Namespace namespace = overlay.find(Namespace.class, null, runs)
                    .orElseThrow(() -> new AssertionError(name + ": no Namespace " + runs));
            String enforced = Optional.ofNullable(namespace.getMetadata().getLabels()).orElse(Map.of())
                    .get("pod-security.kubernetes.io/enforce");
            assertTrue(List.of("baseline", "restricted").contains(enforced),
                    name + ": Namespace " + runs + " enforces " + enforced);
        }
    }

    /** Pod Security Admission's "restricted" profile, plus a read-only root filesystem. */
    @ParameterizedTest
    @MethodSource(OVERLAYS)
    void everyContainerRunsAsNonRootReadOnlyWithoutPrivilegesOrCapabilities(String name) {
        RenderedOverlay overlay = RenderedOverlay.of(name);
        Namespace namespace = overlay.find(Namespace.class, null, NAMESPACE).orElseThrow();
        assertEquals("restricted", namespace.getMetadata().getLabels().get("pod-security.kubernetes.io/enforce"),
                name + ": the namespace refuses pods that are not locked down");
        for (Workload workload : overlay.workloads()) {
            PodSpec pod = workload.template().getSpec();
            PodSecurityContext podContext = Optional.ofNullable(pod.getSecurityContext())
                    .orElse(new PodSecurityContext());
            assertNotEquals(Boolean.TRUE, pod.getHostNetwork(), workload + ": host network");
            assertNotEquals(Boolean.TRUE, pod.getHostPID(), workload + ": host PID namespace");
            assertNotEquals(Boolean.TRUE, pod.getHostIPC(), workload + ": host IPC namespace");
            for (Volume volume : Optional.ofNullable(pod.getVolumes()).orElse(List.of())) {
                assertEquals(null, volume.getHostPath(), workload + ": host path volume " + volume.getName());
            }
            for (Container container : workload.containers()) {
                String where = name + ": " + workload + " container " + container.getName();
                SecurityContext context = Optional.ofNullable(container.getSecurityContext())
                        .orElse(new SecurityContext());
                assertEquals(Boolean.TRUE, first(context.getRunAsNonRoot(), podContext.getRunAsNonRoot()),
                        where + ": runAsNonRoot");
                assertNotEquals(0L, first(context.getRunAsUser(), podContext.getRunAsUser()), where + ": runs as root");
                assertEquals(Boolean.FALSE, context.getAllowPrivilegeEscalation(),
                        where + ": allowPrivilegeEscalation");
                assertNotEquals(Boolean.TRUE, context.getPrivileged(), where + ": privileged");
                assertEquals(Boolean.TRUE, context.getReadOnlyRootFilesystem(), where + ": readOnlyRootFilesystem");
                assertTrue(context.getCapabilities() != null && context.getCapabilities().getDrop().contains("ALL"),
                        where + ": capabilities must drop ALL");
                assertTrue(context.getCapabilities().getAdd() == null || context.getCapabilities().getAdd().isEmpty(),
                        where + ": adds capabilities");
                var seccomp = first(context.getSeccompProfile(), podContext.getSeccompProfile());
                assertTrue(seccomp != null && Set.of("RuntimeDefault", "Localhost").contains(seccomp.getType()),
                        where + ": seccomp profile RuntimeDefault");
            }
        }
    }

    /** A read-only root leaves the JVM (hsperfdata, temporary files) and Vert.x (its file cache) no place but /tmp. */
    @ParameterizedTest
    @MethodSource(OVERLAYS)
    void everyServiceHasAWritableTmp(String name) {
        RenderedOverlay overlay = RenderedOverlay.of(name);
        for (var service : overlay.services()) {
            PodSpec pod = service.workload().template().getSpec();
            var tmp = service.container().getVolumeMounts().stream()
                    .filter(mount -> "/tmp".equals(mount.getMountPath())).findFirst();
            assertTrue(tmp.isPresent(), name + ": " + service + " mounts nothing on /tmp");
            assertTrue(pod.getVolumes().stream().anyMatch(volume -> volume.getName().equals(tmp.get().getName())
                    && volume.getEmptyDir() != null), name + ": " + service + "'s /tmp is an emptyDir");
        }
    }

    @ParameterizedTest
    @MethodSource(OVERLAYS)
    void everyContainerRequestsAndIsLimitedInCpuAndMemory(String name) {
        RenderedOverlay overlay = RenderedOverlay.of(name);
        for (Workload workload : overlay.workloads()) {
            for (Container container : workload.containers()) {
                String where = name + ": " + workload + " container " + container.getName();
                var resources = container.getResources();
                assertTrue(resources != null && resources.getRequests() != null && resources.getLimits() != null,
                        where + " has no requests and limits");
                for (String resource : List.of("cpu", "memory")) {
                    Quantity request = resources.getRequests().get(resource);
                    Quantity limit = resources.getLimits().get(resource);
                    assertTrue(request != null && limit != null, where + ": " + resource + " request and limit");
                    assertTrue(request.getNumericalAmount().compareTo(limit.getNumericalAmount()) <= 0,
                            where + ": " + resource + " request " + request + " above its limit " + limit);
                }
            }
        }
    }

    /**
     * Only a pod whose ServiceAccount is bound to a role gets a token; no pod gets the namespace's Services as
     * environment variables (a Service "kafka" would become KAFKA_PORT=tcp://..., which Kafka's client and image read).
     */
    @ParameterizedTest
    @MethodSource(OVERLAYS)
    void onlyTheLauncherMountsAnApiTokenAndNoPodGetsServiceLinks(String name) {
        RenderedOverlay overlay = RenderedOverlay.of(name);
        Set<String> bound = Stream.concat(
                        overlay.all(RoleBinding.class).stream().flatMap(binding -> binding.getSubjects().stream()),
                        overlay.all(ClusterRoleBinding.class).stream()
                                .flatMap(binding -> binding.getSubjects().stream()))
                .filter(subject -> "ServiceAccount".equals(subject.getKind()))
                .map(subject -> subject.getNamespace() + "/" + subject.getName())
                .collect(Collectors.toSet());
        for (Workload workload : overlay.workloads()) {
            PodSpec pod = workload.template().getSpec();
            String account = workload.namespace() + "/"
                    + Optional.ofNullable(pod.getServiceAccountName()).orElse("default");
            if (bound.contains(account)) {
                assertNotEquals(Boolean.FALSE, pod.getAutomountServiceAccountToken(), workload + " calls the API");
            } else {
                assertEquals(Boolean.FALSE, pod.getAutomountServiceAccountToken(),
                        name + ": " + workload + " calls no API and must not mount a token");
            }
            assertEquals(Boolean.FALSE, pod.getEnableServiceLinks(), name + ": " + workload + " enableServiceLinks");
        }
        assertTrue(bound.contains(NAMESPACE + "/launcher"), name + ": the launcher's ServiceAccount is bound");
        assertEquals("launcher", overlay.service("launcher").workload().template().getSpec().getServiceAccountName());
    }

    /**
     * The services' images are named as the build names them (the root pom's jib-maven-plugin:
     * quarkflow/&lt;artifactId&gt;:${quarkflow.image.tag}), one tag for all (base/kustomization.yaml's images), and
     * each runs in a container and pods named after it; every other image is pinned to a version.
     */
    @ParameterizedTest
    @MethodSource(OVERLAYS)
    void imagesAreNamedAsTheBuildNamesThemAndPinned(String name) {
        RenderedOverlay overlay = RenderedOverlay.of(name);
        Set<String> tags = overlay.services().stream()
                .map(service -> service.container().getImage().replaceFirst("^[^:]*:?", ""))
                .collect(Collectors.toSet());
        assertEquals(1, tags.size(), name + ": one tag for every service image, found " + tags);
        assertFalse(tags.contains("") || tags.contains("latest"), name + ": the service images carry a version");
        Repository.rootProperty("quarkflow.image.tag").ifPresent(built -> assertEquals(Set.of(built), tags,
                name + ": the tag the build gives the images (quarkflow.image.tag in the root pom)"));
        assertEquals(Set.copyOf(SERVICES), overlay.services().stream().map(service -> service.module())
                .collect(Collectors.toSet()), name);
        for (var service : overlay.services()) {
            assertEquals(service.module(), service.container().getName(), name + ": " + service);
            assertEquals(service.module(), service.workload().labels().get(NAME_LABEL), name + ": " + service);
            assertEquals(service.module(), service.workload().name(), name + ": " + service);
            Repository.module(service.module());
        }
        for (Workload workload : overlay.workloads()) {
            for (Container container : workload.containers()) {
                String image = container.getImage();
                assertTrue(image.matches(".+:[^/:]+") && !image.endsWith(":latest"),
                        name + ": " + workload + " runs " + image + ", which names no version");
            }
        }
    }

    static boolean selects(LabelSelector selector, Map<String, String> labels) {
        if (selector == null) {
            return false;
        }
        boolean expressions = selector.getMatchExpressions() == null || selector.getMatchExpressions().stream()
                .allMatch(expression -> switch (expression.getOperator()) {
                    case "In" -> expression.getValues().contains(labels.get(expression.getKey()));
                    case "NotIn" -> !expression.getValues().contains(labels.get(expression.getKey()));
                    case "Exists" -> labels.containsKey(expression.getKey());
                    case "DoesNotExist" -> !labels.containsKey(expression.getKey());
                    default -> false;
                });
        Map<String, String> match = selector.getMatchLabels() == null ? Map.of() : selector.getMatchLabels();
        boolean empty = match.isEmpty() && (selector.getMatchExpressions() == null
                || selector.getMatchExpressions().isEmpty());
        return !empty && expressions && labels.entrySet().containsAll(match.entrySet());
    }

    private static List<Workload> selected(RenderedOverlay overlay, String namespace, LabelSelector selector) {
        return overlay.workloads().stream()
                .filter(workload -> workload.namespace().equals(namespace))
                .filter(workload -> selects(selector, workload.labels()))
                .toList();
    }

    private static <T> T first(T preferred, T fallback) {
        return preferred != null ? preferred : fallback;
    }

    /** Walks fabric8's model objects; a field it could not place lands in a map of additional properties. */
    private static void unknownFields(Object node, String path, List<String> unknown) {
        if (node instanceof List<?> list) {
            for (int i = 0; i < list.size(); i++) {
                unknownFields(list.get(i), path + "[" + i + "]", unknown);
            }
            return;
        }
        if (node == null || !node.getClass().getName().startsWith("io.fabric8.kubernetes.api.model")) {
            return;
        }
        for (Method getter : node.getClass().getMethods()) {
            if (getter.getParameterCount() != 0 || !getter.getName().startsWith("get")
                    || getter.getDeclaringClass() == Object.class) {
                continue;
            }
            try {
                Object value = getter.invoke(node);
                if (getter.getName().equals("getAdditionalProperties")) {
                    if (value instanceof Map<?, ?> extra && !extra.isEmpty()) {
                        unknown.add(path + ": " + extra.keySet());
                    }
                } else {
                    unknownFields(value, path + "." + getter.getName().substring(3), unknown);
                }
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(getter.toString(), e);
            }
        }
    }
}
