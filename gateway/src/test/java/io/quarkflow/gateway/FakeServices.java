package io.quarkflow.gateway;

import io.quarkus.elytron.security.common.BcryptUtil;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Small HTTP servers standing in for tracking-service, artifact-service and projects-service, so the gateway's own
 * behaviour (routing, headers, streaming, failures) can be observed exactly; the real services are driven through the
 * gateway by the e2e module. Also writes the users and tokens files the gateway reads.
 *
 * <p>Every request is answered 200 with a JSON echo of what arrived: which server, method, URI, selected headers,
 * body length and SHA-256. Paths ending in {@code /slow-download} and {@code /cut-download} and {@code /status-404}
 * behave as their names say; {@code /answer-at-once} answers at once with the Content-Length it was sent, the body
 * unread. tracking-service's {@code GET .../logged-models/m-of-<run id>} answers a model of that run, as the gateway
 * asks before a run token's write to a model. A path ending in {@code /read-later} starts reading its body only after
 * {@link #READ_LATER_MS}, as a slow service would; how each body ended is kept in {@link #BODIES}.
 */
@QuarkusTestResource(FakeServices.class)
public class FakeServices implements QuarkusTestResourceLifecycleManager {

    static final String EDITOR_PASSWORD = "correct horse battery staple";
    static final String READER_PASSWORD = "reader-secret";
    static final String EDIT_TOKEN = "edit-token-0123456789";
    static final String READ_TOKEN = "read-token-0123456789";
    static final int CHUNK = 1 << 20;
    /** The gateway's run-token key, base64 of 32 bytes. */
    static final String RUN_TOKEN_KEY = java.util.Base64.getEncoder()
            .encodeToString("fake-services-run-token-key-32by".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    static final String MODEL_OF = "m-of-";

    /** Requests each fake server has received, to prove a refused request reached no service. */
    static final AtomicInteger REQUESTS = new AtomicInteger();
    /** Of those, the gateway's own questions about a logged model's run. */
    static final AtomicInteger MODEL_LOOKUPS = new AtomicInteger();
    /** Body bytes received so far by the request in progress, to see an upload arrive while it is still sent. */
    static final AtomicLong UPLOADED = new AtomicLong();
    /** How each request body ended at the service, by path: "complete", or "broken" (the connection closed first). */
    static final Map<String, String> BODIES = new ConcurrentHashMap<>();
    /** Paths ending in {@code /closed-once} whose first request had its connection closed without an answer. */
    static final java.util.Set<String> CLOSED_ONCE = ConcurrentHashMap.newKeySet();
    static final long READ_LATER_MS = 3000;
    /** Connections that have served a request: {@code /closed-when-reused} closes these rather than answer. */
    private static final java.util.Set<io.vertx.core.http.HttpConnection> SERVED = ConcurrentHashMap.newKeySet();
    /** Completed by a test to let {@code /slow-download} send its second half. */
    static volatile CompletableFuture<Void> releaseDownload = new CompletableFuture<>();

    private static Vertx vertx;
    private static HttpServer tracking;
    private static int trackingPort;

    @Override
    public Map<String, String> start() {
        vertx = Vertx.vertx();
        tracking = listen("tracking", 0);
        trackingPort = tracking.actualPort();
        HttpServer artifacts = listen("artifacts", 0);
        HttpServer projects = listen("projects", 0);
        try {
            Path dir = Files.createTempDirectory("gateway-auth");
            Path users = dir.resolve("users");
            String editorHash = BcryptUtil.bcryptHash(EDITOR_PASSWORD);
            Files.write(users, List.of(
                    "# name:bcrypt[:permission]",
                    "alice:" + editorHash,
                    "bob:" + BcryptUtil.bcryptHash(READER_PASSWORD) + ":read",
                    // htpasswd writes $2y$; the same hash must verify
                    "carol:" + "$2y$" + editorHash.substring(4) + ":edit"));
            Path tokens = dir.resolve("tokens");
            Files.write(tokens, List.of(
                    "ci:" + sha256(EDIT_TOKEN),
                    "dashboard:" + sha256(READ_TOKEN) + ":read"));
            return Map.of(
                    "quarkflow.gateway.tracking-url", "http://127.0.0.1:" + trackingPort,
                    "quarkflow.gateway.artifact-url", "http://127.0.0.1:" + artifacts.actualPort(),
                    "quarkflow.gateway.projects-url", "http://127.0.0.1:" + projects.actualPort(),
                    "quarkflow.gateway.auth.users-file", users.toString(),
                    "quarkflow.gateway.auth.tokens-file", tokens.toString(),
                    "quarkflow.gateway.auth.run-token-key", RUN_TOKEN_KEY);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void stop() {
        vertx.close().toCompletionStage().toCompletableFuture().join();
    }

    /** Stops the tracking fake, so the gateway finds nobody listening; {@link #startTracking} brings it back. */
    static void stopTracking() {
        await(tracking.close().toCompletionStage().toCompletableFuture());
    }

    static void startTracking() {
        tracking = listen("tracking", trackingPort);
    }

    private static HttpServer listen(String name, int port) {
        HttpServer server = vertx.createHttpServer().requestHandler(request -> answer(name, request));
        return await(server.listen(port, "127.0.0.1").toCompletionStage().toCompletableFuture());
    }

    private static void answer(String server, HttpServerRequest request) {
        REQUESTS.incrementAndGet();
        String path = request.path();
        if (path.equals("/health") || path.equals("/q/health/ready")) {
            request.response().end("OK");
            return;
        }
        int model = path.indexOf("/logged-models/" + MODEL_OF);
        if (server.equals("tracking") && request.method() == io.vertx.core.http.HttpMethod.GET && model >= 0) {
            MODEL_LOOKUPS.incrementAndGet();
            String modelId = path.substring(model + "/logged-models/".length());
            String run = modelId.substring(MODEL_OF.length());
            request.response().putHeader("Content-Type", "application/json").end(new JsonObject()
                    .put("model", new JsonObject().put("info", new JsonObject().put("model_id", modelId)
                            .put("source_run_id", run)).put("data", new JsonObject())).encode());
            return;
        }
        if (path.endsWith("/slow-download")) {
            request.response().setChunked(true).write(Buffer.buffer(new byte[CHUNK]));
            releaseDownload.thenRun(() -> vertx.runOnContext(v -> request.response().end(Buffer.buffer(new byte[CHUNK]))));
            return;
        }
        if (path.endsWith("/cut-download")) {
            request.response().putHeader("Content-Length", Integer.toString(2 * CHUNK)).write(Buffer.buffer(new byte[CHUNK]))
                    .onComplete(written -> request.connection().close());
            return;
        }
        if (path.endsWith("/bare-413")) { // as Quarkus answers a body over its limit, before any endpoint
            request.response().setStatusCode(413).putHeader("Connection", "close").end();
            return;
        }
        if (path.endsWith("/closed-once") && CLOSED_ONCE.add(path + " " + request.method())) {
            request.connection().close(); // as a kept-alive connection the service closed just as it was reused
            return;
        }
        io.vertx.core.http.HttpConnection connection = request.connection();
        boolean reused = !SERVED.add(connection);
        if (!reused) {
            connection.closeHandler(closed -> SERVED.remove(connection));
        }
        if (path.endsWith("/closed-when-reused") && reused) {
            connection.close(); // as every kept-alive connection closing at once (a service stopping, say)
            return;
        }
        if (path.endsWith("/answer-later")) { // holds its connection for a while, so others are opened beside it
            vertx.setTimer(200, t -> request.response().end("{}"));
            return;
        }
        if (path.endsWith("/answer-at-once")) {
            request.response().putHeader("Content-Type", "application/json").end(new JsonObject()
                    .put("server", server)
                    .put("content_length", request.getHeader("Content-Length"))
                    .put("transfer_encoding", request.getHeader("Transfer-Encoding")).encode());
            return;
        }
        MessageDigest digest = sha256();
        AtomicLong length = new AtomicLong();
        UPLOADED.set(0);
        request.handler(buffer -> {
            digest.update(buffer.getBytes());
            length.addAndGet(buffer.length());
            UPLOADED.addAndGet(buffer.length());
        });
        request.exceptionHandler(broken -> BODIES.put(path, "broken"));
        if (path.endsWith("/read-later")) {
            request.pause();
            vertx.setTimer(READ_LATER_MS, id -> request.resume());
        }
        request.endHandler(done -> {
            BODIES.put(path, "complete");
            JsonObject echo = new JsonObject()
                    .put("server", server)
                    .put("method", request.method().name())
                    .put("uri", request.uri())
                    .put("user", request.getHeader("X-Quarkflow-User"))
                    .put("internal_key", request.getHeader("X-Quarkflow-Internal-Key"))
                    .put("request_id", request.getHeader("X-Request-Id"))
                    .put("traceparent", request.getHeader("traceparent"))
                    .put("authorization", request.getHeader("Authorization"))
                    .put("cookie", request.getHeader("Cookie"))
                    .put("expect", request.getHeader("Expect"))
                    .put("forwarded_for", request.getHeader("X-Forwarded-For"))
                    .put("content_type", request.getHeader("Content-Type"))
                    .put("length", length.get())
                    .put("sha256", HexFormat.of().formatHex(digest.digest()));
            int status = path.endsWith("/status-404") ? 404 : 200;
            request.response().setStatusCode(status).putHeader("Content-Type", "application/json")
                    .putHeader("X-Frame-Options", "SAMEORIGIN")
                    .end(echo.encode());
        });
    }

    static String sha256(String text) {
        return HexFormat.of().formatHex(sha256().digest(text.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static <T> T await(CompletableFuture<T> future) {
        try {
            return future.get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
