package io.quarkflow.gateway;

/**
 * A service behind the gateway, as its entry in {@link Route.Target} describes it.
 *
 * @param name          what log lines and error messages call it
 * @param urlProperty   the property that holds its base URL (an environment variable too: QUARKFLOW_GATEWAY_...)
 * @param defaultUrl    its base URL when the property is unset: its name and port inside the cluster
 * @param readinessPath the path that answers 200 when it is ready, asked by the gateway's GET /health
 */
public record Upstream(String name, String urlProperty, String defaultUrl, String readinessPath) {
}
