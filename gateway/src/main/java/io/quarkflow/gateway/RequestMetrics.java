package io.quarkflow.gateway;

import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.impl.HttpServerRequestInternal;

/**
 * Names the route of a request for its HTTP metrics (http_server_requests_seconds on /q/metrics). Quarkus's
 * Micrometer binder tags each request with the URI template it finds in the request's Vert.x context, where Quarkus
 * REST puts its resources' templates, and with the raw path otherwise: on the gateway's one catch-all route that would
 * be a new series for every artifact path, model id or probe of a scanner.
 */
final class RequestMetrics {

    /** The context key the binder reads (io.quarkus.micrometer.runtime.binder.vertx.HttpRequestMetric). */
    private static final String URI_TEMPLATE = "UrlPathTemplate";
    /** What no route takes: unknown paths, whatever their answer. */
    static final String UNROUTED = "/{unrouted}";

    private RequestMetrics() {
    }

    static void nameRoute(HttpServerRequest request, String template) {
        ((HttpServerRequestInternal) request).context().putLocal(URI_TEMPLATE, template);
    }
}
