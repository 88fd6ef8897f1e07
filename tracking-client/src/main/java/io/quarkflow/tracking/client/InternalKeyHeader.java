package io.quarkflow.tracking.client;

import io.quarkflow.internal.key.InternalKey;
import jakarta.ws.rs.client.ClientRequestContext;
import jakarta.ws.rs.client.ClientRequestFilter;
import java.util.Optional;
import org.eclipse.microprofile.config.ConfigProvider;

/** Sends the suite's internal key (quarkflow.internal.key), without which tracking-service answers 401. */
public class InternalKeyHeader implements ClientRequestFilter {

    private final Optional<InternalKey> key = InternalKey.of(
            ConfigProvider.getConfig().getOptionalValue(InternalKey.PROPERTY, String.class));

    @Override
    public void filter(ClientRequestContext request) {
        key.ifPresent(value -> request.getHeaders().putSingle(InternalKey.HEADER, value.value()));
    }
}
