package io.quarkflow.k8s;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * One overlay as {@code kubectl kustomize} renders it, read into fabric8's model of the Kubernetes API (rendered once
 * per overlay and shared by the tests), with what it expects to exist already ({@link Expected}).
 */
final class RenderedOverlay {

    static final String QUARKFLOW_IMAGE = "quarkflow/";

    private static final Map<String, RenderedOverlay> RENDERED = new ConcurrentHashMap<>();
    private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();
    /** kustomize's document separator. */
    private static final Pattern DOCUMENTS = Pattern.compile("(?m)^---\\s*$");

    final String name;
    final List<HasMetadata> resources;
    final Expected expected;

    private RenderedOverlay(String name, List<HasMetadata> resources, Expected expected) {
        this.name = name;
        this.resources = resources;
        this.expected = expected;
    }

    static RenderedOverlay of(String name) {
        return RENDERED.computeIfAbsent(name, overlay -> {
            Path dir = Repository.overlays().resolve(overlay);
            String yaml = Kubectl.kustomize(dir);
            List<HasMetadata> resources = DOCUMENTS.splitAsStream(yaml)
                    .filter(document -> !document.isBlank())
                    .map(document -> (HasMetadata) SERIALIZATION.unmarshal(document))
                    .toList();
            return new RenderedOverlay(overlay, resources, Expected.of(dir));
        });
    }

    <T extends HasMetadata> List<T> all(Class<T> type) {
        return resources.stream().filter(type::isInstance).map(type::cast).toList();
    }

    <T extends HasMetadata> Optional<T> find(Class<T> type, String namespace, String name) {
        return all(type).stream()
                .filter(resource -> name.equals(resource.getMetadata().getName()))
                .filter(resource -> Objects.equals(namespace, resource.getMetadata().getNamespace()))
                .findFirst();
    }

    /** A resource by the name it was written with, also when a kustomize generator appended its content hash. */
    <T extends HasMetadata> Optional<T> findWritten(Class<T> type, String namespace, String name) {
        Pattern generated = Pattern.compile(Pattern.quote(name) + "(-[a-z0-9]{10})?");
        return all(type).stream()
                .filter(resource -> generated.matcher(resource.getMetadata().getName()).matches())
                .filter(resource -> Objects.equals(namespace, resource.getMetadata().getNamespace()))
                .findFirst();
    }

    Optional<ConfigMap> configMap(String namespace, String name) {
        return find(ConfigMap.class, namespace, name);
    }

    Optional<Secret> secret(String namespace, String name) {
        return find(Secret.class, namespace, name);
    }

    /** Every workload's pod template: Deployments, StatefulSets and Jobs. */
    List<Workload> workloads() {
        return resources.stream().<Workload>mapMulti((resource, workloads) -> {
            if (resource instanceof Deployment deployment) {
                workloads.accept(new Workload(deployment, deployment.getSpec().getSelector(),
                        deployment.getSpec().getTemplate(), deployment.getSpec().getReplicas()));
            } else if (resource instanceof StatefulSet set) {
                workloads.accept(new Workload(set, set.getSpec().getSelector(), set.getSpec().getTemplate(),
                        set.getSpec().getReplicas()));
            } else if (resource instanceof Job job) {
                workloads.accept(new Workload(job, job.getSpec().getSelector(), job.getSpec().getTemplate(), 1));
            }
        }).toList();
    }

    /** The Deployments that run a Quarkflow service (an image quarkflow/&lt;service&gt;). */
    List<ServiceWorkload> services() {
        return workloads().stream()
                .flatMap(workload -> workload.containers().stream()
                        .filter(container -> container.getImage().startsWith(QUARKFLOW_IMAGE))
                        .map(container -> new ServiceWorkload(workload, container)))
                .toList();
    }

    ServiceWorkload service(String module) {
        return services().stream().filter(service -> service.module().equals(module)).findFirst()
                .orElseThrow(() -> new AssertionError(name + ": no workload runs quarkflow/" + module));
    }

    /** The Services whose selector picks the workload's pods. */
    List<Service> servicesSelecting(Workload workload) {
        return all(Service.class).stream()
                .filter(service -> workload.namespace().equals(service.getMetadata().getNamespace()))
                .filter(service -> service.getSpec().getSelector() != null
                        && !service.getSpec().getSelector().isEmpty())
                .filter(service -> workload.labels().entrySet().containsAll(service.getSpec().getSelector().entrySet()))
                .toList();
    }

    @Override
    public String toString() {
        return name;
    }

    /** A Deployment, StatefulSet or Job. */
    record Workload(HasMetadata owner, LabelSelector selector, PodTemplateSpec template, Integer replicas) {

        String kind() {
            return owner.getKind();
        }

        String name() {
            return owner.getMetadata().getName();
        }

        String namespace() {
            return owner.getMetadata().getNamespace();
        }

        Map<String, String> labels() {
            Map<String, String> labels = template.getMetadata() == null ? null : template.getMetadata().getLabels();
            return labels == null ? Map.of() : labels;
        }

        List<Container> containers() {
            var spec = template.getSpec();
            return Stream.concat(
                    spec.getInitContainers() == null ? Stream.empty() : spec.getInitContainers().stream(),
                    spec.getContainers().stream()).toList();
        }

        @Override
        public String toString() {
            return kind() + " " + namespace() + "/" + name();
        }
    }

    /** A Quarkflow service's container in its workload; the module is the image's name after quarkflow/. */
    record ServiceWorkload(Workload workload, Container container) {

        String module() {
            String image = container.getImage().substring(QUARKFLOW_IMAGE.length());
            int tag = image.indexOf(':');
            return tag < 0 ? image : image.substring(0, tag);
        }

        @Override
        public String toString() {
            return module() + " (" + workload + ")";
        }
    }
}
