package io.quarkflow.k8s;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.KeyToPath;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.Volume;
import io.quarkflow.events.Topics;
import io.quarkflow.k8s.RenderedOverlay.ServiceWorkload;
import io.quarkflow.k8s.RenderedOverlay.Workload;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Everything the manifests point at exists: each Secret and ConfigMap (and key) a container or volume names is made
 * by the overlay or listed in its expected.yaml, and that list holds nothing unused; each address a service is
 * configured with names a Service and port that exist, and never loopback.
 */
class ReferencesTest {

    private static final String OVERLAYS = "io.quarkflow.k8s.Overlays#all";
    private static final Pattern HOST_PORT = Pattern.compile("([A-Za-z0-9.-]+):(\\d+)");
    /** A Service's name alone (the caller's namespace), or with its namespace and .svc[.cluster.local]. */
    private static final Pattern IN_CLUSTER =
            Pattern.compile("([a-z0-9-]+)(?:\\.([a-z0-9-]+)\\.svc(?:\\.cluster\\.local)?)?");
    private static final Set<String> LOOPBACK = Set.of("localhost", "127.0.0.1", "::1", "[::1]", "0.0.0.0");

    @ParameterizedTest
    @MethodSource(OVERLAYS)
    void everySecretAndConfigMapReferencedExistsWithItsKeys(String name) {
        RenderedOverlay overlay = RenderedOverlay.of(name);
        List<String> missing = new ArrayList<>();
        for (Workload workload : overlay.workloads()) {
            String namespace = workload.namespace();
            for (Container container : workload.containers()) {
                String where = workload + " container " + container.getName();
                for (EnvVar env : Optional.ofNullable(container.getEnv()).orElse(List.of())) {
                    var from = env.getValueFrom();
                    if (from != null && from.getSecretKeyRef() != null) {
                        secretKey(overlay, namespace, from.getSecretKeyRef().getName(), from.getSecretKeyRef().getKey())
                                .ifPresent(problem -> missing.add(where + " " + env.getName() + ": " + problem));
                    }
                    if (from != null && from.getConfigMapKeyRef() != null) {
                        configMapKey(overlay, namespace, from.getConfigMapKeyRef().getName(),
                                from.getConfigMapKeyRef().getKey())
                                .ifPresent(problem -> missing.add(where + " " + env.getName() + ": " + problem));
                    }
                }
                for (EnvFromSource from : Optional.ofNullable(container.getEnvFrom()).orElse(List.of())) {
                    if (from.getConfigMapRef() != null) {
                        configMapKey(overlay, namespace, from.getConfigMapRef().getName(), null)
                                .ifPresent(problem -> missing.add(where + " envFrom: " + problem));
                    }
                    if (from.getSecretRef() != null) {
                        secretKey(overlay, namespace, from.getSecretRef().getName(), null)
                                .ifPresent(problem -> missing.add(where + " envFrom: " + problem));
                    }
                }
            }
            for (Volume volume : Optional.ofNullable(workload.template().getSpec().getVolumes()).orElse(List.of())) {
                if (volume.getSecret() != null) {
                    keys(volume.getSecret().getItems()).forEach(key -> secretKey(overlay, namespace,
                            volume.getSecret().getSecretName(), key)
                            .ifPresent(problem -> missing.add(workload + " volume " + volume.getName() + ": "
                                    + problem)));
                }
                if (volume.getConfigMap() != null) {
                    keys(volume.getConfigMap().getItems()).forEach(key -> configMapKey(overlay, namespace,
                            volume.getConfigMap().getName(), key)
                            .ifPresent(problem -> missing.add(workload + " volume " + volume.getName() + ": "
                                    + problem)));
                }
            }
        }
        assertEquals(List.of(), missing, name + ": references to nothing");
    }

    /** A stale list would send operators creating Secrets nothing reads, or Services nothing calls. */
    @ParameterizedTest
    @MethodSource(OVERLAYS)
    void everyExpectedSecretAndServiceIsUsed(String name) {
        RenderedOverlay overlay = RenderedOverlay.of(name);
        Set<String> secrets = new HashSet<>();
        for (Workload workload : overlay.workloads()) {
            for (Container container : workload.containers()) {
                Optional.ofNullable(container.getEnv()).orElse(List.of()).stream()
                        .filter(env -> env.getValueFrom() != null && env.getValueFrom().getSecretKeyRef() != null)
                        .forEach(env -> secrets.add(env.getValueFrom().getSecretKeyRef().getName()));
            }
            Optional.ofNullable(workload.template().getSpec().getVolumes()).orElse(List.of()).stream()
                    .filter(volume -> volume.getSecret() != null)
                    .forEach(volume -> secrets.add(volume.getSecret().getSecretName()));
        }
        overlay.expected.secrets().forEach(secret -> assertTrue(secrets.contains(secret.name()),
                name + ": " + Expected.FILE + " lists Secret " + secret.name() + ", which nothing reads"));
        overlay.all(Secret.class).forEach(secret -> assertTrue(secrets.contains(secret.getMetadata().getName()),
                name + ": Secret " + secret.getMetadata().getName() + " is made but nothing reads it"));
        Set<String> called = addresses(overlay).stream().map(address -> address.namespace() + "/" + address.host())
                .collect(Collectors.toSet());
        overlay.expected.services().forEach(service -> assertTrue(called.contains(service.namespace() + "/"
                + service.name()), name + ": " + Expected.FILE + " lists Service " + service.namespace() + "/"
                + service.name() + ", which no service calls"));
    }

    /**
     * Every in-cluster address a service is configured with (a URL or host:port in its application.properties or
     * environment) names a Service that is rendered or expected, with that port. A rendered Service in front of a
     * service that checks Host headers (mlflow-wire's ServiceHosts) must carry the service's application name.
     */
    @ParameterizedTest
    @MethodSource(OVERLAYS)
    void everyAddressAServiceCallsIsAServiceWithThatPort(String name) {
        RenderedOverlay overlay = RenderedOverlay.of(name);
        List<String> wrong = new ArrayList<>();
        for (Address address : addresses(overlay)) {
            Optional<Service> rendered = overlay.find(Service.class, address.namespace(), address.host());
            if (rendered.isPresent()) {
                boolean port = rendered.get().getSpec().getPorts().stream()
                        .anyMatch(candidate -> candidate.getPort() == address.port());
                if (!port) {
                    wrong.add(address + ": Service " + address.host() + " has no port " + address.port());
                }
                overlay.workloads().stream()
                        .filter(workload -> overlay.servicesSelecting(workload).contains(rendered.get()))
                        .flatMap(workload -> overlay.services().stream().filter(service -> service.workload().owner()
                                == workload.owner()))
                        .filter(service -> Repository.withQuarkflowDependencies(service.module())
                                .contains(Repository.module("quarkflow-mlflow-wire")))
                        .filter(service -> !service.module().equals(address.host()))
                        .forEach(service -> wrong.add(address + ": " + service.module() + " answers only its own name "
                                + "(quarkus.application.name) in the Host header, not " + address.host()));
            } else if (overlay.expected.service(address.namespace(), address.host())
                    .filter(expected -> expected.port() == address.port()).isEmpty()) {
                wrong.add(address + ": no Service " + address.namespace() + "/" + address.host() + " with port "
                        + address.port() + " is rendered or listed in " + Expected.FILE);
            }
        }
        assertEquals(List.of(), wrong, name + ": addresses that lead nowhere");
    }

    /** In a pod, loopback is the pod itself: a default like localhost:9092 left in place reaches nothing. */
    @ParameterizedTest
    @MethodSource(OVERLAYS)
    void noServiceIsConfiguredWithALoopbackAddress(String name) {
        RenderedOverlay overlay = RenderedOverlay.of(name);
        List<String> loopback = new ArrayList<>();
        for (ServiceWorkload service : overlay.services()) {
            values(overlay, service).forEach((property, value) -> hosts(value)
                    .filter(host -> LOOPBACK.contains(host[0].toLowerCase()))
                    .forEach(host -> loopback.add(service.module() + " " + property + "=" + value)));
        }
        assertEquals(List.of(), loopback, name + ": settings that point at the pod itself");
    }

    @Test
    void theProdOverlayListsTheTopicsTheServicesUse() throws IllegalAccessException {
        Set<String> topics = new HashSet<>();
        for (Field field : Topics.class.getFields()) {
            if (Modifier.isStatic(field.getModifiers()) && field.getType() == String.class) {
                topics.add((String) field.get(null));
            }
        }
        assertEquals(topics, Set.copyOf(RenderedOverlay.of("prod").expected.topics()),
                "expected.yaml's topics are the events module's (Topics)");
    }

    /** An in-cluster address some service is configured with, in the namespace of the pod that calls it. */
    record Address(String caller, String property, String host, String namespace, int port) {

        @Override
        public String toString() {
            return caller + " " + property + " -> " + host + "." + namespace + ":" + port;
        }
    }

    static List<Address> addresses(RenderedOverlay overlay) {
        List<Address> addresses = new ArrayList<>();
        for (ServiceWorkload service : overlay.services()) {
            String namespace = service.workload().namespace();
            values(overlay, service).forEach((property, value) -> hosts(value).forEach(host -> {
                Matcher inCluster = IN_CLUSTER.matcher(host[0]);
                if (inCluster.matches() && !LOOPBACK.contains(host[0])) {
                    addresses.add(new Address(service.module(), property, inCluster.group(1),
                            inCluster.group(2) == null ? namespace : inCluster.group(2), Integer.parseInt(host[1])));
                }
            }));
        }
        return addresses;
    }

    private static Map<String, String> values(RenderedOverlay overlay, ServiceWorkload service) {
        ContainerEnv env = ContainerEnv.of(overlay, service.workload().namespace(), service.container());
        return ServiceConfig.unvalidated(service.module(), env.asMap()).values();
    }

    /** The {host, port} pairs in a value: URLs (the scheme's port when none is given) and host:port lists. */
    static Stream<String[]> hosts(String value) {
        if (value == null) {
            return Stream.empty();
        }
        return Stream.of(value.split(",")).map(String::strip).<String[]>mapMulti((item, found) -> {
            String url = item.startsWith("jdbc:") ? item.substring("jdbc:".length()) : item;
            if (url.contains("://")) {
                try {
                    URI uri = URI.create(url);
                    if (uri.getHost() != null) {
                        int port = uri.getPort() >= 0 ? uri.getPort() : "https".equals(uri.getScheme()) ? 443 : 80;
                        found.accept(new String[]{uri.getHost(), Integer.toString(port)});
                    }
                } catch (IllegalArgumentException notAUrl) {
                    // a value that only looks like one
                }
            } else {
                Matcher hostPort = HOST_PORT.matcher(item);
                if (hostPort.matches()) {
                    found.accept(new String[]{hostPort.group(1), hostPort.group(2)});
                }
            }
        });
    }

    private static List<String> keys(List<KeyToPath> items) {
        List<String> keys = new ArrayList<>();
        keys.add(null);
        Optional.ofNullable(items).orElse(List.of()).forEach(item -> keys.add(item.getKey()));
        return keys;
    }

    /** Why the Secret (and key, unless null) is not there, if it is not. */
    private static Optional<String> secretKey(RenderedOverlay overlay, String namespace, String name, String key) {
        Optional<Secret> rendered = overlay.secret(namespace, name);
        if (rendered.isPresent()) {
            Set<String> keys = new HashSet<>();
            Optional.ofNullable(rendered.get().getData()).map(Map::keySet).ifPresent(keys::addAll);
            Optional.ofNullable(rendered.get().getStringData()).map(Map::keySet).ifPresent(keys::addAll);
            return key == null || keys.contains(key) ? Optional.empty()
                    : Optional.of("Secret " + name + " has no key " + key);
        }
        Optional<Expected.ExpectedSecret> expected = Overlays.NAMESPACE.equals(namespace)
                ? overlay.expected.secret(name) : Optional.empty();
        if (expected.isPresent()) {
            return key == null || expected.get().keys().contains(key) ? Optional.empty()
                    : Optional.of(Expected.FILE + " lists Secret " + name + " without key " + key);
        }
        return Optional.of("Secret " + namespace + "/" + name + " is neither made nor listed in " + Expected.FILE);
    }

    private static Optional<String> configMapKey(RenderedOverlay overlay, String namespace, String name, String key) {
        Optional<ConfigMap> rendered = overlay.configMap(namespace, name);
        if (rendered.isEmpty()) {
            return Optional.of("ConfigMap " + namespace + "/" + name + " is not made by the overlay");
        }
        Map<String, String> data = Optional.ofNullable(rendered.get().getData()).orElse(Map.of());
        return key == null || data.containsKey(key) ? Optional.empty()
                : Optional.of("ConfigMap " + name + " has no key " + key);
    }
}
