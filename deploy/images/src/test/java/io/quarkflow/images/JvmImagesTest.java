package io.quarkflow.images;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Each service's JVM image, as its build wrote it to target/jib-image.tar (the root pom's jib-maven-plugin): the
 * tag the k8s/ manifests use, a non-root user, java -jar quarkus-run.jar as the entrypoint, the service's ports,
 * and every file of its fast-jar in the layer of its kind, so that a rebuilt service ships only its small layers.
 */
class JvmImagesTest {

    private static final Path REPO = Path.of(System.getProperty("quarkflow.repo")).toAbsolutePath().normalize();
    private static final List<String> APPLICATION_LAYERS =
            List.of("libraries", "quarkflow libraries", "quarkus", "application");

    enum Service {
        GATEWAY("gateway", "5000/tcp", "9000/tcp"),
        TRACKING("tracking-service", "5000/tcp"),
        ARTIFACTS("artifact-service", "5001/tcp"),
        PROJECTS("projects-service", "5003/tcp"),
        LAUNCHER("launcher", "5004/tcp");

        final String module;
        final Set<String> ports;

        Service(String module, String... ports) {
            this.module = module;
            this.ports = Set.of(ports);
        }

        Path image() {
            return REPO.resolve(module).resolve("target/jib-image.tar");
        }

        Path fastJar() {
            return REPO.resolve(module).resolve("target/quarkus-app");
        }
    }

    private static final Map<Service, ImageArchive> IMAGES = new HashMap<>();

    @BeforeAll
    static void readImages() throws IOException {
        assumeFalse(Boolean.getBoolean("jib.skip"), "the build made no images (jib.skip)");
        for (Service service : Service.values()) {
            IMAGES.put(service, ImageArchive.read(service.image())); // also checks every layer's digest
        }
    }

    @ParameterizedTest
    @EnumSource(Service.class)
    void runsQuarkusRunJarAsAnUnprivilegedUserOnItsPorts(Service service) {
        ImageArchive image = IMAGES.get(service);
        assertEquals(List.of("quarkflow/" + service.module + ":" + System.getProperty("quarkflow.image.tag")),
                image.repoTags(), "the name k8s/ deploys");

        JsonNode run = image.runConfig();
        assertEquals("185", run.path("User").asText(), "not root");
        List<String> entrypoint = new ArrayList<>();
        run.path("Entrypoint").forEach(argument -> entrypoint.add(argument.asText()));
        assertEquals("java", entrypoint.get(0), entrypoint.toString());
        assertEquals(List.of("-jar", "/deployments/quarkus-run.jar"),
                entrypoint.subList(entrypoint.size() - 2, entrypoint.size()));
        assertTrue(entrypoint.contains("-Djava.util.logging.manager=org.jboss.logmanager.LogManager"),
                "Quarkus's log manager from the first line on: " + entrypoint);
        assertTrue(run.path("Cmd").isMissingNode() || run.path("Cmd").isNull() || run.path("Cmd").isEmpty(),
                "no arguments a base image's CMD could add: " + run.path("Cmd"));
        assertEquals("/home/jboss", run.path("WorkingDir").asText(), "a directory user 185 may write");

        Set<String> ports = new TreeSet<>();
        run.path("ExposedPorts").fieldNames().forEachRemaining(ports::add);
        assertEquals(new TreeSet<>(service.ports), ports);
        assertEquals(service.module, run.path("Labels").path("org.opencontainers.image.title").asText());
    }

    @ParameterizedTest
    @EnumSource(Service.class)
    void putsEachFileOfTheFastJarInTheLayerOfItsKind(Service service) throws IOException {
        ImageArchive image = IMAGES.get(service);
        List<String> names = image.layerNamesInOrder();
        assertTrue(names.size() > APPLICATION_LAYERS.size(), "a base image below the service's layers: " + names);
        assertEquals(APPLICATION_LAYERS, names.subList(names.size() - APPLICATION_LAYERS.size(), names.size()),
                "least often changed first");

        Map<String, String> expected = new HashMap<>();
        try (Stream<Path> files = Files.walk(service.fastJar())) {
            files.filter(Files::isRegularFile).forEach(file -> {
                String path = "deployments/" + service.fastJar().relativize(file).toString().replace('\\', '/');
                expected.put(path, layerOf(path));
            });
        }
        assertTrue(expected.containsValue("quarkflow libraries"), "a service uses Quarkflow's shared modules");

        Map<String, String> actual = new HashMap<>();
        for (String name : APPLICATION_LAYERS) {
            for (ImageArchive.Entry entry : image.layer(name).entries().values()) {
                assertFalse(entry.path().startsWith("app/") || entry.path().equals("app"),
                        "Jib's own classpath layout is left out: " + entry.path());
                assertEquals(0, entry.uid(), entry.path() + ": root's, so the service cannot change its own code");
                if (!entry.directory()) {
                    assertEquals(0444, entry.mode() & 0444, entry.path() + " is readable by user 185");
                    String other = actual.put(entry.path(), name);
                    assertNull(other, entry.path() + " is in two layers");
                    assertEquals(Files.size(service.fastJar().resolve(entry.path().substring("deployments/".length()))),
                            entry.size(), entry.path());
                }
            }
        }
        assertEquals(expected, actual);
        assertTrue(actual.keySet().stream().anyMatch(path -> path.startsWith("deployments/app/" + service.module + "-")
                && path.endsWith(".jar")), "the service's own jar: " + actual.keySet());
    }

    /** Where the root pom's layer filter puts a file of the fast-jar. */
    private static String layerOf(String path) {
        if (path.startsWith("deployments/app/")) {
            return "application";
        }
        if (path.equals("deployments/quarkus-run.jar") || path.startsWith("deployments/quarkus/")) {
            return "quarkus";
        }
        if (path.startsWith("deployments/lib/main/io.quarkflow.")) {
            return "quarkflow libraries";
        }
        return "libraries";
    }
}
