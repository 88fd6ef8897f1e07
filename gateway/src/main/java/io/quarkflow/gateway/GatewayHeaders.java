package io.quarkflow.gateway;

/** Headers the gateway sets itself on every request it forwards, whatever the client sent. */
final class GatewayHeaders {

    /** Names one exchange in the answer and in every log line about it; a harmless one from the client is kept. */
    static final String REQUEST_ID = "X-Request-Id";
    /** Who is calling, for the services: credentials stop at the gateway. */
    static final String USER = "X-Quarkflow-User";

    private GatewayHeaders() {
    }
}
