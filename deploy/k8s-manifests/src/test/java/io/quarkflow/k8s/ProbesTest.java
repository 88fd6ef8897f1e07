package io.quarkflow.k8s;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.quarkflow.k8s.RenderedOverlay.ServiceWorkload;
import io.quarkflow.k8s.RenderedOverlay.Workload;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.Objects;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Every probe asks a path and port its service answers: Quarkus' health endpoints where the service's own
 * configuration (application.properties under the pod's environment) puts them ({@link HealthEndpoints}).
 */
class ProbesTest {

    /**
     * mlflow-wire's InternalCallersOnly refuses every request without the suite's key, except these paths
     * (isHealthProbe); the kubelet sends no key.
     */
    private static final String UNGUARDED_HEALTH = "/q/health/";
    private static final String MLFLOW_WIRE = "quarkflow-mlflow-wire";

    @ParameterizedTest
    @MethodSource("io.quarkflow.k8s.Overlays#all")
    void everyServiceIsProbedOnItsOwnHealthEndpoints(String name) {
        RenderedOverlay overlay = RenderedOverlay.of(name);
        for (ServiceWorkload service : overlay.services()) {
            String where = name + ": " + service;
            assertTrue(Repository.dependencies(Repository.module(service.module()), "io.quarkus")
                    .contains("quarkus-smallrye-health"),
                    where + ": without quarkus-smallrye-health there is no /q/health");
            ContainerEnv env = ContainerEnv.of(overlay, service.workload().namespace(), service.container());
            HealthEndpoints health = HealthEndpoints.of(ServiceConfig.unvalidated(service.module(), env.asMap()));
            Container container = service.container();
            check(where + " startupProbe", container, container.getStartupProbe(), health.started(), health.port());
            check(where + " readinessProbe", container, container.getReadinessProbe(), health.ready(), health.port());
            check(where + " livenessProbe", container, container.getLivenessProbe(), health.live(), health.port());
            boolean guarded = Repository.withQuarkflowDependencies(service.module())
                    .contains(Repository.module(MLFLOW_WIRE));
            if (guarded && !health.management()) {
                assertTrue(health.live().startsWith(UNGUARDED_HEALTH) && health.ready().startsWith(UNGUARDED_HEALTH)
                        && health.started().startsWith(UNGUARDED_HEALTH), where + ": its health endpoints "
                        + health + " lie outside " + UNGUARDED_HEALTH
                        + ", so its internal-key check refuses the probes");
            }
        }
    }

    /** The Services route to the service's HTTP port, never to the management port (health checks only). */
    @ParameterizedTest
    @MethodSource("io.quarkflow.k8s.Overlays#all")
    void servicesRouteToTheHttpPortAndNeverToManagement(String name) {
        RenderedOverlay overlay = RenderedOverlay.of(name);
        for (ServiceWorkload service : overlay.services()) {
            ContainerEnv env = ContainerEnv.of(overlay, service.workload().namespace(), service.container());
            ServiceConfig config = ServiceConfig.unvalidated(service.module(), env.asMap());
            int http = Integer.parseInt(config.get("quarkus.http.port", "8080"));
            HealthEndpoints health = HealthEndpoints.of(config);
            List<Service> routes = overlay.servicesSelecting(service.workload());
            assertTrue(!routes.isEmpty(), name + ": no Service reaches " + service);
            for (Service route : routes) {
                route.getSpec().getPorts().forEach(port -> {
                    int target = containerPort(service.container(), port.getTargetPort() == null
                            ? new IntOrString(port.getPort()) : port.getTargetPort());
                    assertEquals(http, target, name + ": Service " + route.getMetadata().getName()
                            + " sends port " + port.getPort() + " to " + target + "; " + service.module()
                            + " answers on " + http);
                    if (health.management()) {
                        assertNotEquals(health.port(), target, name + ": the management port is for probes only");
                    }
                });
            }
        }
    }

    /**
     * The pods' prometheus.io annotations name where the service serves its metrics: /q/metrics of
     * quarkus-micrometer-registry-prometheus, on the management port where there is one (the gateway), else the HTTP
     * port.
     */
    @ParameterizedTest
    @MethodSource("io.quarkflow.k8s.Overlays#all")
    void prometheusIsToldWhereEachServiceServesItsMetrics(String name) {
        RenderedOverlay overlay = RenderedOverlay.of(name);
        for (ServiceWorkload service : overlay.services()) {
            String where = name + ": " + service;
            assertTrue(Repository.dependencies(Repository.module(service.module()), "io.quarkus")
                    .contains("quarkus-micrometer-registry-prometheus"), where + ": no /q/metrics without "
                    + "quarkus-micrometer-registry-prometheus");
            ContainerEnv env = ContainerEnv.of(overlay, service.workload().namespace(), service.container());
            ServiceConfig config = ServiceConfig.unvalidated(service.module(), env.asMap());
            HealthEndpoints health = HealthEndpoints.of(config);
            int metricsPort = health.management() ? health.port()
                    : Integer.parseInt(config.get("quarkus.http.port", "8080"));
            var annotations = service.workload().template().getMetadata().getAnnotations();
            assertNotNull(annotations, where + ": no prometheus.io annotations");
            assertEquals("true", annotations.get("prometheus.io/scrape"), where + " prometheus.io/scrape");
            assertEquals("/q/metrics", annotations.get("prometheus.io/path"), where + " prometheus.io/path");
            assertEquals(String.valueOf(metricsPort), annotations.get("prometheus.io/port"),
                    where + ": its metrics are on port " + metricsPort);
        }
    }

    /** PostgreSQL, Kafka and MinIO of the dev overlay: probed for readiness and liveness. */
    @ParameterizedTest
    @MethodSource("io.quarkflow.k8s.Overlays#all")
    void everyLongRunningContainerHasReadinessAndLiveness(String name) {
        for (Workload workload : RenderedOverlay.of(name).workloads()) {
            if (workload.owner() instanceof Job) {
                continue;
            }
            for (Container container : workload.template().getSpec().getContainers()) {
                assertNotNull(container.getReadinessProbe(), name + ": " + workload + " readinessProbe");
                assertNotNull(container.getLivenessProbe(), name + ": " + workload + " livenessProbe");
            }
        }
    }

    private static void check(String where, Container container, Probe probe, String path, int port) {
        assertNotNull(probe, where + " is missing");
        assertNotNull(probe.getHttpGet(), where + " must ask the HTTP health endpoint " + path);
        assertEquals(path, probe.getHttpGet().getPath(), where + ": the service answers " + path);
        assertEquals(port, containerPort(container, probe.getHttpGet().getPort()),
                where + ": the service answers health checks on port " + port);
    }

    /** A port by number, or by the name of one of the container's ports. */
    private static int containerPort(Container container, IntOrString port) {
        if (port.getIntVal() != null) {
            return port.getIntVal();
        }
        return container.getPorts().stream()
                .filter(candidate -> Objects.equals(candidate.getName(), port.getStrVal()))
                .map(ContainerPort::getContainerPort)
                .findFirst()
                .orElseGet(() -> fail(container.getName() + " has no port named " + port.getStrVal()));
    }
}
