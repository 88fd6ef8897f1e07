package io.quarkflow.gateway;

import io.quarkflow.mlflow.errors.ErrorCode;
import io.quarkflow.mlflow.errors.JsonOnly;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import jakarta.inject.Singleton;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

/**
 * The web UI's sign-in, sign-out and "who am I", and the session cookie standing for credentials on every later
 * request ({@link SessionCookie}). A browser signs in once with a user's password or a token (POST /ui/sign-in, JSON
 * only); the answer sets the cookie, and no credential ever sits where a script can read it. A request with an
 * Authorization header is judged by that header alone, as before.
 */
@Singleton
public class WebSessions {

    static final String SIGN_IN = "/ui/sign-in";
    static final String SIGN_OUT = "/ui/sign-out";
    static final String SESSION = "/ui/session";
    private static final int MAX_SIGN_IN_BODY = 16 * 1024;

    private final Authenticator authenticator;
    private final SessionCookie cookies;
    private final long ttlSeconds;

    WebSessions(Authenticator authenticator, GatewayConfig config) {
        this.authenticator = authenticator;
        this.cookies = config.ui().sessionKey()
                .map(key -> new SessionCookie(decodeKey(key)))
                .orElseGet(SessionCookie::withRandomKey);
        this.ttlSeconds = config.ui().sessionTtl().toSeconds();
    }

    /** Whether this request is one of the routes this class answers before authentication. */
    static boolean isSignInOrOut(HttpMethod method, String path) {
        return method == HttpMethod.POST && (path.equals(SIGN_IN) || path.equals(SIGN_OUT));
    }

    /** Answers POST /ui/sign-in and POST /ui/sign-out. */
    void answer(HttpServerRequest request, String path) {
        if (path.equals(SIGN_OUT)) {
            request.response().putHeader(HttpHeaders.SET_COOKIE, SessionCookie.header("", 0, secure(request)));
            request.response().putHeader(HttpHeaders.CONTENT_TYPE, "application/json");
            LocalAnswer.send(request, "{}");
            return;
        }
        String badType = JsonOnly.problem(request.method().name(), request.getHeader(HttpHeaders.CONTENT_TYPE));
        if (badType != null) {
            LocalAnswer.error(request, ErrorCode.INVALID_PARAMETER_VALUE, badType);
            return;
        }
        if (RequestBody.length(request) > MAX_SIGN_IN_BODY) {
            LocalAnswer.error(request, 413, ErrorCode.INVALID_PARAMETER_VALUE, "The sign-in body is too large.");
            return;
        }
        Buffer body = Buffer.buffer();
        request.handler(chunk -> {
            if (body.length() + chunk.length() <= MAX_SIGN_IN_BODY) {
                body.appendBuffer(chunk);
            }
        });
        request.endHandler(end -> signIn(request, body));
        request.resume();
    }

    private void signIn(HttpServerRequest request, Buffer body) {
        String authorization;
        try {
            authorization = authorization(new JsonObject(body));
        } catch (DecodeException | ClassCastException | IllegalArgumentException e) {
            LocalAnswer.error(request, ErrorCode.INVALID_PARAMETER_VALUE, "Sign in with {\"username\": ..., "
                    + "\"password\": ...} or {\"token\": ...}.");
            return;
        }
        authenticator.signIn(authorization).onComplete(result -> {
            if (result.failed()) {
                String message = result.cause() instanceof Authenticator.Rejected
                        ? result.cause().getMessage() : "Authentication failed.";
                LocalAnswer.error(request, ErrorCode.UNAUTHENTICATED, message);
                return;
            }
            Identity identity = result.result().identity();
            String value = cookies.mint(new SessionCookie.Claims(identity.name(), result.result().credential(),
                    now() + ttlSeconds));
            request.response().putHeader(HttpHeaders.SET_COOKIE, SessionCookie.header(value, ttlSeconds,
                    secure(request)));
            describe(request, identity);
        });
    }

    /**
     * Who sent this request: its Authorization header when it has one, else its session cookie, else no one (the
     * authenticator's refusal, or the open identity when authentication is off). A browser's change (anything but
     * GET and HEAD) made with the cookie must carry an Origin, which {@link BrowserSafety} has already found to be
     * this gateway's or an allowed one.
     */
    Future<Identity> identify(HttpServerRequest request) {
        String authorization = request.getHeader(HttpHeaders.AUTHORIZATION);
        Optional<String> cookie = SessionCookie.of(request);
        if (authorization != null || cookie.isEmpty() || !authenticator.enabled()) {
            return authenticator.authenticate(authorization);
        }
        boolean change = request.method() != HttpMethod.GET && request.method() != HttpMethod.HEAD;
        if (change && request.getHeader(HttpHeaders.ORIGIN) == null) {
            return Future.failedFuture(new Authenticator.Rejected("A change made with a browser session must carry "
                    + "an Origin header."));
        }
        return cookies.read(cookie.get(), now())
                .flatMap(authenticator::session)
                .map(Future::succeededFuture)
                .orElseGet(() -> Future.failedFuture(new Authenticator.Rejected("Your session has ended: sign in "
                        + "again.")));
    }

    /** GET /ui/session: who is signed in, once {@link #identify} has found them. */
    void describe(HttpServerRequest request, Identity identity) {
        String body = new JsonObject()
                .put("user", identity.name())
                .put("permission", identity.permission().name())
                .put("authentication", authenticator.enabled())
                .encode();
        request.response().putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                .putHeader(HttpHeaders.CACHE_CONTROL, "no-store");
        LocalAnswer.send(request, body);
    }

    private static String authorization(JsonObject body) {
        String token = body.getString("token");
        if (token != null && !token.isBlank()) {
            return "Bearer " + token.strip();
        }
        String username = body.getString("username");
        String password = body.getString("password");
        if (username == null || username.isEmpty() || username.contains(":") || password == null) {
            throw new IllegalArgumentException("no credentials");
        }
        return "Basic " + Base64.getEncoder().encodeToString((username + ":" + password)
                .getBytes(StandardCharsets.UTF_8));
    }

    /** Secure when the browser came over TLS, to this gateway or to the proxy in front of it. */
    private static boolean secure(HttpServerRequest request) {
        return request.isSSL() || "https".equalsIgnoreCase(request.getHeader("X-Forwarded-Proto"));
    }

    private static long now() {
        return System.currentTimeMillis() / 1000;
    }

    private static byte[] decodeKey(String key) {
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(key.strip());
        } catch (IllegalArgumentException e) {
            bytes = new byte[0];
        }
        if (bytes.length < 32) {
            throw new IllegalStateException("quarkflow.gateway.ui.session-key (QUARKFLOW_GATEWAY_UI_SESSION_KEY) must "
                    + "be base64 of at least 32 random bytes (openssl rand -base64 32)");
        }
        return bytes;
    }
}
