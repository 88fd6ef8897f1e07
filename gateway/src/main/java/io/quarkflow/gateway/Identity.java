package io.quarkflow.gateway;

/** Who a request comes from and what it may do; the services see the name, in {@link GatewayHeaders#USER}. */
public record Identity(String name, Permission permission) {

    /** Every request when authentication is disabled. */
    static final Identity ANONYMOUS = new Identity("anonymous", Permission.EDIT);
}
