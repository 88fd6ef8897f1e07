package io.quarkflow.gateway;

/** Who a request comes from, as the services see it in the {@code X-Quarkflow-User} header. */
public record Identity(String name, Permission permission) {

    /** Every request when authentication is disabled. */
    static final Identity ANONYMOUS = new Identity("anonymous", Permission.EDIT);
}
