package io.quarkflow.k8s;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * What an overlay expects to exist before it is applied, from its expected.yaml (the prod overlay's is the documented
 * list of Secrets, Services and topics); an overlay without the file expects nothing.
 */
record Expected(List<ExpectedSecret> secrets, List<ExpectedService> services, List<String> topics) {

    static final String FILE = "expected.yaml";

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    Expected {
        secrets = secrets == null ? List.of() : secrets;
        services = services == null ? List.of() : services;
        topics = topics == null ? List.of() : topics;
    }

    static Expected of(Path overlay) {
        Path file = overlay.resolve(FILE);
        if (!Files.exists(file)) {
            return new Expected(List.of(), List.of(), List.of());
        }
        try {
            return YAML.readValue(file.toFile(), Expected.class);
        } catch (IOException e) {
            throw new IllegalStateException("Cannot read " + file, e);
        }
    }

    /** A Secret in the namespace quarkflow, where every Quarkflow workload runs. */
    Optional<ExpectedSecret> secret(String name) {
        return secrets.stream().filter(secret -> secret.name().equals(name)).findFirst();
    }

    Optional<ExpectedService> service(String namespace, String name) {
        return services.stream()
                .filter(service -> service.name().equals(name) && service.namespace().equals(namespace))
                .findFirst();
    }

    record ExpectedSecret(String name, List<String> keys) {
    }

    record ExpectedService(String name, String namespace, int port) {
    }
}
