package io.quarkflow.k8s;

import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

import javax.xml.parsers.DocumentBuilderFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The checkout this module lives in: k8s/, the Maven modules and what their poms say. The root comes from the system
 * property quarkflow.root, which the pom sets.
 */
final class Repository {

    static final String GROUP = "io.quarkflow";

    private static final Path ROOT = Path.of(System.getProperty("quarkflow.root", "../.."))
            .toAbsolutePath().normalize();
    /** Module directory by artifactId, for every module the root pom lists. */
    private static final Map<String, Path> MODULES = modules();

    private Repository() {
    }

    static Path root() {
        return ROOT;
    }

    static Path overlays() {
        return ROOT.resolve("k8s/overlays");
    }

    /** Every overlay: each directory under k8s/overlays with a kustomization.yaml. */
    static List<String> overlayNames() {
        try (Stream<Path> dirs = Files.list(overlays())) {
            return dirs.filter(dir -> Files.isRegularFile(dir.resolve("kustomization.yaml")))
                    .map(dir -> dir.getFileName().toString()).sorted().toList();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The module directory of a service, by its artifactId (the services are named as their directories). */
    static Path module(String artifactId) {
        Path dir = MODULES.get(artifactId);
        if (dir == null) {
            throw new IllegalArgumentException("No module " + artifactId + " in " + ROOT.resolve("pom.xml"));
        }
        return dir;
    }

    /** The module and every io.quarkflow module it depends on, directly or not. */
    static Set<Path> withQuarkflowDependencies(String artifactId) {
        Set<String> seen = new LinkedHashSet<>();
        List<String> next = new ArrayList<>(List.of(artifactId));
        while (!next.isEmpty()) {
            String current = next.remove(next.size() - 1);
            if (MODULES.containsKey(current) && seen.add(current)) {
                next.addAll(dependencies(module(current), GROUP));
            }
        }
        return seen.stream().map(Repository::module)
                .collect(Collectors.toCollection(LinkedHashSet::new));
    }

    /** A property of the root pom's properties. */
    static Optional<String> rootProperty(String name) {
        for (var node = pom(ROOT).getFirstChild(); node != null; node = node.getNextSibling()) {
            if (node instanceof Element element && element.getTagName().equals("properties")) {
                return Optional.ofNullable(text(element, name));
            }
        }
        return Optional.empty();
    }

    /** The artifactIds of a module's dependencies of one group that it runs with (not test scope), as its pom says. */
    static List<String> dependencies(Path moduleDir, String groupId) {
        Element project = pom(moduleDir);
        List<String> artifacts = new ArrayList<>();
        NodeList dependencies = project.getElementsByTagName("dependency");
        for (int i = 0; i < dependencies.getLength(); i++) {
            Element dependency = (Element) dependencies.item(i);
            if (dependency.getParentNode().getParentNode() != project) {
                continue; // dependencyManagement, plugins
            }
            if (groupId.equals(text(dependency, "groupId")) && !"test".equals(text(dependency, "scope"))) {
                artifacts.add(text(dependency, "artifactId"));
            }
        }
        return artifacts;
    }

    private static Map<String, Path> modules() {
        Element root = pom(ROOT);
        Map<String, Path> modules = new HashMap<>();
        NodeList names = root.getElementsByTagName("module");
        for (int i = 0; i < names.getLength(); i++) {
            Path dir = ROOT.resolve(names.item(i).getTextContent().trim());
            modules.put(text(pom(dir), "artifactId"), dir);
        }
        return modules;
    }

    private static Element pom(Path dir) {
        try {
            Document document = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                    .parse(dir.resolve("pom.xml").toFile());
            return document.getDocumentElement();
        } catch (Exception e) {
            throw new IllegalStateException("Cannot read " + dir.resolve("pom.xml"), e);
        }
    }

    /** The text of a direct child element, or null. */
    private static String text(Element parent, String child) {
        for (var node = parent.getFirstChild(); node != null; node = node.getNextSibling()) {
            if (node instanceof Element element && element.getTagName().equals(child)) {
                return element.getTextContent().trim();
            }
        }
        return null;
    }
}
