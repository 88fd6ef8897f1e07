package io.quarkflow.gateway;

import java.util.Optional;

/**
 * Who a request comes from and what it may do; the services see the name, in {@link GatewayHeaders#USER}.
 *
 * @param run the one run a run token's holder may change ({@link RunScope}); empty for everyone else
 */
public record Identity(String name, Permission permission, Optional<String> run) {

    /** Every request when authentication is disabled. */
    static final Identity ANONYMOUS = new Identity("anonymous", Permission.EDIT);

    public Identity(String name, Permission permission) {
        this(name, permission, Optional.empty());
    }

    /** A run token's holder, {@code run:<run id>}: it may read everything, and change only its run. */
    static Identity ofRun(String runId) {
        return new Identity("run:" + runId, Permission.READ, Optional.of(runId));
    }
}
