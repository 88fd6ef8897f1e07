package io.quarkflow.gateway;

import io.quarkflow.mlflow.errors.ErrorCode;
import io.quarkflow.mlflow.errors.JsonOnly;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;
import org.jboss.logging.Logger;
import org.jboss.logging.MDC;

/**
 * Every request on the public port, in this order: request id, Host allow-list, CORS, the web UI's files and
 * sign-in/out ({@link WebUi}, {@link WebSessions}), authentication (header, else session cookie), dot segments
 * in the path (400), the route table (404 when no route takes it, 403 when the identity lacks the route's
 * permission), JSON-only POSTs, the announced body length (413 above the limit), the identity's requests in flight
 * (429 above {@link IdentityLimits}'s limit), a run token's write checked against its run ({@link RunWrites}), then
 * the route's target: a service, or the gateway's own /health. Nothing is answered before authentication but a
 * refused Host or Origin, a CORS preflight, the UI's static files and the sign-in itself.
 */
@Singleton
public class Gateway {

    private static final Logger ACCESS = Logger.getLogger("io.quarkflow.gateway.access");
    /** A client's request id is kept when it is short and harmless in a log line; otherwise a new one is made. */
    private static final Pattern REQUEST_ID = Pattern.compile("[A-Za-z0-9._:-]{1,128}");
    /**
     * The request id in the MDC of every log line about the exchange, under the services' key (mlflow-wire's
     * RequestIds). The MDC lives in the request's Vert.x context, so it ends with the request.
     */
    static final String REQUEST_ID_MDC = "requestId";
    private static final String CHALLENGE = "Basic realm=\"quarkflow\", Bearer realm=\"quarkflow\"";
    /**
     * On every answer but the web UI's own files: nothing in an API answer or a downloaded artifact runs as a page of
     * this origin, even when a browser is sent straight to an HTML artifact.
     */
    static final String API_POLICY = "default-src 'none'; sandbox";

    private final WebSessions sessions;
    private final WebUi webUi;
    private final BrowserSafety browserSafety;
    private final Proxy proxy;
    private final ServiceHealth health;
    private final RunWrites runWrites;
    private final IdentityLimits limits;
    private final long maxBodySize;

    Gateway(WebSessions sessions, WebUi webUi, BrowserSafety browserSafety, Proxy proxy, ServiceHealth health,
            RunWrites runWrites, IdentityLimits limits, GatewayConfig config) {
        this.sessions = sessions;
        this.webUi = webUi;
        this.browserSafety = browserSafety;
        this.proxy = proxy;
        this.health = health;
        this.runWrites = runWrites;
        this.limits = limits;
        this.maxBodySize = config.maxBodySize().asLongValue();
    }

    void register(@Observes Router router) {
        // The only route on the public port; it never passes a request on.
        router.route().order(Integer.MIN_VALUE).handler(this::handle);
    }

    private void handle(RoutingContext context) {
        HttpServerRequest request = context.request();
        request.pause(); // nothing of the body is read until the request is authorised and has somewhere to go
        HttpServerResponse response = request.response();
        String requestId = requestId(request);
        MDC.put(REQUEST_ID_MDC, requestId);
        response.putHeader(GatewayHeaders.REQUEST_ID, requestId);
        BrowserSafety.secureHeaders(response);
        boolean validTarget = RequestTargets.isValid(request.uri());
        String path = validTarget ? context.normalizedPath() : request.path(); // normalizing a bad escape throws
        RequestMetrics.nameRoute(request, metricsName(request.method(), path));
        long started = System.nanoTime();
        String[] user = {"-"}; // known once authenticated
        // Taken once the request is routed; this handler, which runs once however the exchange ends, gives it back.
        IdentityLimits.Slot[] slot = {IdentityLimits.Slot.NONE};
        // Also called when the connection closes first: then no status was sent, and the line says so.
        response.endHandler(done -> {
            slot[0].release();
            ACCESS.infof("%s %s %s %s %s %d ms", requestId, user[0], request.method(), path,
                    response.ended() ? Integer.toString(response.getStatusCode()) : "aborted",
                    (System.nanoTime() - started) / 1_000_000);
        });

        if (!validTarget) {
            LocalAnswer.error(request, ErrorCode.BAD_REQUEST, "Malformed request: the request target is not a valid"
                    + " URI (RFC 3986); percent-encode its parameters.");
            return;
        }
        String badHost = browserSafety.rejectHost(request);
        if (badHost != null) {
            LocalAnswer.error(request, ErrorCode.PERMISSION_DENIED, badHost);
            return;
        }
        switch (browserSafety.cors(request)) {
            case ANSWERED -> {
                return;
            }
            case FORBIDDEN -> {
                LocalAnswer.error(request, ErrorCode.PERMISSION_DENIED, "Cross-origin requests from "
                        + request.getHeader(HttpHeaders.ORIGIN) + " are not allowed.");
                return;
            }
            case PROCEED -> {
            }
        }
        if (webUi.serves(request.method(), path)) {
            webUi.serve(request, path);
            return;
        }
        if (WebSessions.isSignInOrOut(request.method(), path)) {
            sessions.answer(request, path);
            return;
        }
        response.putHeader("Content-Security-Policy", API_POLICY);
        sessions.identify(request).onComplete(result -> {
            if (result.failed()) {
                String message = result.cause() instanceof Authenticator.Rejected
                        ? result.cause().getMessage() : "Authentication failed.";
                if (request.getHeader("X-Requested-With") == null) {
                    // The web UI's own requests get no challenge, which would make the browser ask in a dialog.
                    response.putHeader("WWW-Authenticate", CHALLENGE);
                }
                LocalAnswer.error(request, ErrorCode.UNAUTHENTICATED, message);
                return;
            }
            user[0] = result.result().name();
            if (path.equals(WebSessions.SESSION) && request.method() == HttpMethod.GET) {
                sessions.describe(request, result.result());
                return;
            }
            dispatch(request, path, result.result(), requestId, slot);
        });
    }

    private void dispatch(HttpServerRequest request, String path, Identity identity, String requestId,
                          IdentityLimits.Slot[] slot) {
        if (hasDotSegment(request.path())) {
            // The route (and its permission) is chosen on the resolved path; the service must not be left to
            // resolve the same path another way.
            LocalAnswer.error(request, ErrorCode.INVALID_PARAMETER_VALUE,
                    "Invalid path: '.' and '..' segments are not allowed.");
            return;
        }
        Optional<Route> found = Route.find(request.method(), path);
        if (found.isEmpty()) {
            LocalAnswer.error(request, ErrorCode.ENDPOINT_NOT_FOUND,
                    "No API endpoint " + request.method() + " " + path + ".");
            return;
        }
        Route route = found.get();
        boolean allowed = identity.permission().allows(route.permission());
        // A run token reads as a read-only identity does; its writes are for RunWrites to decide.
        boolean runWrite = !allowed && identity.run().isPresent();
        if (!allowed && !runWrite) {
            LocalAnswer.error(request, ErrorCode.PERMISSION_DENIED, "User " + identity.name()
                    + " may read but not change (" + request.method() + " " + path + ").");
            return;
        }
        String badType = JsonOnly.problem(request.method().name(), request.getHeader(HttpHeaders.CONTENT_TYPE));
        if (badType != null) {
            LocalAnswer.error(request, ErrorCode.INVALID_PARAMETER_VALUE, badType);
            return;
        }
        if (RequestBody.length(request) > maxBodySize) {
            LocalAnswer.error(request, 413, ErrorCode.INVALID_PARAMETER_VALUE, "The request body is larger than "
                    + maxBodySize + " bytes (quarkflow.gateway.max-body-size).");
            return;
        }
        if (request.response().closed()) {
            return; // the client left during authentication; its end handler has run, and would give back no slot
        }
        Optional<IdentityLimits.Slot> admitted = limits.admit(request, identity);
        if (admitted.isEmpty()) {
            return;
        }
        slot[0] = admitted.get();
        if (runWrite) {
            runWrites.authorise(request, path, identity.run().orElseThrow(), requestId).onComplete(checked -> {
                if (checked.succeeded()) {
                    answer(request, route, identity, requestId, checked.result());
                } else if (checked.cause() instanceof RunWrites.Refused refused) {
                    LocalAnswer.error(request, refused.status, refused.code, refused.getMessage());
                } else {
                    LocalAnswer.error(request, ErrorCode.INVALID_PARAMETER_VALUE,
                            "The request body could not be read.");
                }
            });
            return;
        }
        answer(request, route, identity, requestId, null);
    }

    /** {@code body}: the request's body when it was read to check a run's write, else null (it streams through). */
    private void answer(HttpServerRequest request, Route route, Identity identity, String requestId, Buffer body) {
        route.target().upstream().ifPresentOrElse(
                upstream -> proxy.forward(request, upstream, identity, requestId, body),
                () -> health.respond(request));
    }

    /** A route by its template; the web UI's files and session paths as they are (a fixed set); the rest as one. */
    private String metricsName(HttpMethod method, String path) {
        Optional<Route> route = Route.find(method, path);
        if (route.isPresent()) {
            return route.get().template();
        }
        boolean webUiPath = webUi.serves(method, path) || path.equals(WebSessions.SIGN_IN)
                || path.equals(WebSessions.SIGN_OUT) || path.equals(WebSessions.SESSION);
        return webUiPath ? path : RequestMetrics.UNROUTED;
    }

    /** Whether the raw path holds a "." or ".." segment, also percent-encoded. */
    static boolean hasDotSegment(String rawPath) {
        for (String segment : rawPath.split("/", -1)) {
            String decoded = segment.toLowerCase(java.util.Locale.ROOT).replace("%2e", ".");
            if (decoded.equals(".") || decoded.equals("..")) {
                return true;
            }
        }
        return false;
    }

    private static String requestId(HttpServerRequest request) {
        String given = request.getHeader(GatewayHeaders.REQUEST_ID);
        return given != null && REQUEST_ID.matcher(given).matches() ? given : UUID.randomUUID().toString();
    }
}
