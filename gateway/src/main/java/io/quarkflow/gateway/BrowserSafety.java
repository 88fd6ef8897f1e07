package io.quarkflow.gateway;

import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import jakarta.inject.Singleton;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What keeps a browser from being turned against the API: a Host allow-list (DNS rebinding), a CORS allow-list
 * (default: no foreign origin at all) and headers that forbid framing and content sniffing. (JSON-only POSTs, the
 * other half, are MLflow's own rule: {@link io.quarkflow.mlflow.errors.JsonOnly}.)
 */
@Singleton
public class BrowserSafety {

    private static final String ALLOWED_METHODS = "GET, HEAD, POST, PUT, PATCH, DELETE";
    private static final String ALLOWED_HEADERS = "Authorization, Content-Type, " + GatewayHeaders.REQUEST_ID;

    private final Set<String> allowedHosts;
    private final Set<String> allowedOrigins;

    BrowserSafety(GatewayConfig config) {
        this.allowedHosts = lowerCase(config.allowedHosts().orElse(List.of()), true);
        this.allowedOrigins = lowerCase(config.cors().allowedOrigins().orElse(List.of()), false);
    }

    /** Set on every answer, the gateway's own and the services'. */
    static void secureHeaders(HttpServerResponse response) {
        response.headers()
                .set("X-Frame-Options", "DENY")
                .set("X-Content-Type-Options", "nosniff");
    }

    /** Null when the Host header is acceptable, else why not. */
    String rejectHost(HttpServerRequest request) {
        if (allowedHosts.isEmpty()) {
            return null;
        }
        String host = request.authority() == null ? null : request.authority().host();
        if (host == null || !allowedHosts.contains(stripBrackets(host.toLowerCase(Locale.ROOT)))) {
            return "Invalid Host header " + (host == null ? "(none)" : host)
                    + ": not in quarkflow.gateway.allowed-hosts (possible DNS rebinding).";
        }
        return null;
    }

    /** The outcome of looking at a request's Origin. */
    enum Cors {
        /** Not a cross-origin request, or one from an allowed origin: go on. */
        PROCEED,
        /** A preflight from an allowed origin, already answered. */
        ANSWERED,
        /** From an origin that is not allowed. */
        FORBIDDEN
    }

    Cors cors(HttpServerRequest request) {
        String origin = request.getHeader(HttpHeaders.ORIGIN);
        if (origin == null || sameOrigin(request, origin)) {
            return Cors.PROCEED;
        }
        if (!allowedOrigins.contains(origin.toLowerCase(Locale.ROOT))) {
            return Cors.FORBIDDEN;
        }
        HttpServerResponse response = request.response();
        response.headers()
                .set(HttpHeaders.ACCESS_CONTROL_ALLOW_ORIGIN, origin)
                .set(HttpHeaders.ACCESS_CONTROL_ALLOW_CREDENTIALS, "true")
                .set(HttpHeaders.ACCESS_CONTROL_EXPOSE_HEADERS, GatewayHeaders.REQUEST_ID)
                .add(HttpHeaders.VARY, "Origin");
        boolean preflight = request.method() == HttpMethod.OPTIONS
                && request.getHeader(HttpHeaders.ACCESS_CONTROL_REQUEST_METHOD) != null;
        if (!preflight) {
            return Cors.PROCEED;
        }
        // Browsers send no credentials on a preflight: it is answered here and reaches no service.
        response.setStatusCode(204)
                .putHeader(HttpHeaders.ACCESS_CONTROL_ALLOW_METHODS, ALLOWED_METHODS)
                .putHeader(HttpHeaders.ACCESS_CONTROL_ALLOW_HEADERS, ALLOWED_HEADERS)
                .putHeader(HttpHeaders.ACCESS_CONTROL_MAX_AGE, "600");
        LocalAnswer.send(request, "");
        return Cors.ANSWERED;
    }

    /**
     * Whether the Origin names the host and port the request was sent to. The scheme is not compared: behind a proxy
     * that ends TLS the browser's https:// page reaches this gateway over http.
     */
    private static boolean sameOrigin(HttpServerRequest request, String origin) {
        String host = request.getHeader(HttpHeaders.HOST);
        int schemeEnd = origin.indexOf("://");
        return host != null && schemeEnd > 0 && origin.substring(schemeEnd + 3).equalsIgnoreCase(host);
    }

    private static String stripBrackets(String host) {
        return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    }

    /** Host names are compared without IPv6 brackets ("[::1]" and "::1" alike); origins as they are. */
    private static Set<String> lowerCase(List<String> values, boolean hostNames) {
        return values.stream().map(String::strip).filter(v -> !v.isEmpty()).map(v -> v.toLowerCase(Locale.ROOT))
                .map(v -> hostNames ? stripBrackets(v) : v)
                .collect(Collectors.toUnmodifiableSet());
    }
}
