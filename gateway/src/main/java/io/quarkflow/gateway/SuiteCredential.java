package io.quarkflow.gateway;

import io.quarkflow.internal.key.InternalKey;
import io.quarkus.runtime.LaunchMode;
import io.vertx.core.MultiMap;
import jakarta.inject.Singleton;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The suite's internal key (quarkflow.internal.key), which the gateway adds to every request it sends a service:
 * the services answer nobody else. A client's own header of that name never passes (see {@link Proxy}).
 */
@Singleton
public class SuiteCredential {

    private final Optional<InternalKey> key;

    SuiteCredential(@ConfigProperty(name = InternalKey.PROPERTY) Optional<String> key) {
        this.key = InternalKey.of(key);
        if (this.key.isEmpty() && LaunchMode.current() == LaunchMode.NORMAL) {
            throw new IllegalStateException(InternalKey.PROPERTY + " (QUARKFLOW_INTERNAL_KEY) is not set: the services"
                    + " refuse requests without the suite's internal key. ./quarkflow start sets it; on Kubernetes it"
                    + " comes from the Secret quarkflow-internal-key.");
        }
    }

    /** Sets the key on a request's headers (nothing in dev and test mode without a key). */
    void addTo(MultiMap headers) {
        key.ifPresent(value -> headers.set(InternalKey.HEADER, value.value()));
    }
}
