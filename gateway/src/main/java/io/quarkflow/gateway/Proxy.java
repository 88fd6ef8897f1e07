package io.quarkflow.gateway;

import io.opentelemetry.api.trace.Span;
import io.quarkflow.internal.key.InternalKey;
import io.quarkflow.mlflow.errors.ErrorCode;
import io.quarkflow.mlflow.errors.Requests;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ConnectionPoolTooBusyException;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpClosedException;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.streams.Pipe;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.net.URI;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeoutException;
import org.jboss.logging.Logger;

/**
 * Streams a request to a service and its answer back, a buffer at a time in both directions, with back-pressure:
 * a gigabyte upload or download holds no more than a few socket buffers here. A service that cannot be reached, or
 * has no connection free within quarkflow.gateway.upstream-wait, becomes MLflow's TEMPORARILY_UNAVAILABLE (503); an
 * upload is held to a minimum rate ({@link UploadRate}); a failure halfway through a body cuts the connection, so the
 * other side sees a broken transfer and never a short one that looks complete.
 */
@Singleton
public class Proxy {

    private static final Logger LOG = Logger.getLogger(Proxy.class);

    /** RFC 9110 7.6.1: these describe one connection and are not forwarded. Expect is answered by the gateway. */
    private static final Set<String> HOP_BY_HOP = Set.of("connection", "keep-alive", "proxy-authenticate",
            "proxy-authorization", "proxy-connection", "te", "trailer", "transfer-encoding", "upgrade", "expect");
    /**
     * Credentials stop at the gateway; the services learn who is calling from {@link GatewayHeaders#USER}. The
     * gateway sets its own headers itself (the suite's internal key among them), and a client's own X-Forwarded-* are
     * not believed either.
     */
    private static final Set<String> NOT_FORWARDED = Set.of("authorization", "host", "cookie",
            GatewayHeaders.USER.toLowerCase(Locale.ROOT), GatewayHeaders.REQUEST_ID.toLowerCase(Locale.ROOT),
            InternalKey.HEADER.toLowerCase(Locale.ROOT));
    /**
     * A client's W3C trace context. With tracing on, the gateway's span has taken it up and the HTTP client sends the
     * context on, the gateway's span as parent: the client's own would arrive first and hide it. With tracing off,
     * it passes as it came, so that the services still join the client's trace.
     */
    private static final Set<String> TRACE_CONTEXT = Set.of("traceparent", "tracestate", "baggage");

    static final int CHUNK_SIZE = 64 * 1024;
    /** Request bodies up to this size (MLflow's JSON requests, not uploads) are read whole before they are sent on. */
    static final int SMALL_BODY = 64 * 1024;
    /**
     * How much may wait for a slow receiver before the sender is paused. Netty's default (64 KiB) paused and resumed
     * the other side every few buffers; 1 MiB per transfer keeps both sockets busy and memory still flat.
     */
    static final int WRITE_QUEUE_BYTES = 1024 * 1024;

    private final HttpClient client;
    /** A new connection for each request, never a pooled one: for the second attempt (see forward). */
    private final HttpClient freshClient;
    private final GatewayConfig config;
    private final UpstreamAddresses addresses;
    private final SuiteCredential credential;
    private final UploadRate uploads;

    Proxy(Vertx vertx, GatewayConfig config, UpstreamAddresses addresses, SuiteCredential credential,
          UploadRate uploads) {
        this.config = config;
        this.addresses = addresses;
        this.credential = credential;
        this.uploads = uploads;
        this.client = vertx.createHttpClient(clientOptions(config).setKeepAlive(true),
                // The pool is per service (host and port); its queue is bounded, and so is each wait (upstreamWait).
                new PoolOptions()
                        .setHttp1MaxSize(config.maxConnectionsPerService())
                        .setMaxWaitQueueSize(config.maxWaitingPerService()));
        this.freshClient = vertx.createHttpClient(clientOptions(config).setKeepAlive(false),
                new PoolOptions()
                        .setHttp1MaxSize(config.maxConnectionsPerService())
                        .setMaxWaitQueueSize(config.maxWaitingPerService()));
    }

    private static HttpClientOptions clientOptions(GatewayConfig config) {
        return new HttpClientOptions()
                .setConnectTimeout((int) config.connectTimeout().toMillis())
                // Buffers as large as the socket reads: 8 KiB (the default) made a download eight writes per read.
                .setMaxChunkSize(CHUNK_SIZE)
                .setDecompressionSupported(false)
                .setTryUseCompression(false);
    }

    @PreDestroy
    void close() {
        client.close();
        freshClient.close();
    }

    public HttpClient client() {
        return client;
    }

    /**
     * Forwards the request to {@code upstream} as the given identity: paused by the caller with its body unread, or
     * with {@code body} already read by the gateway (a run's JSON write, checked first), which is sent as it is.
     */
    public void forward(HttpServerRequest in, Upstream upstream, Identity identity, String requestId, Buffer body) {
        if (body == null && smallBody(in)) {
            // Read first, then sent with the head in one write: a JSON request costs the service one read, not two
            // (0.4 ms less per search at one connection), and can be sent again (see below).
            Future<Buffer> whole = in.body();
            in.resume(); // the caller paused it
            whole.onComplete(read -> {
                if (read.succeeded()) {
                    forward(in, upstream, identity, requestId, read.result(), false);
                } else {
                    LOG.debugf("%s %s: the request body could not be read: %s", in.method(), in.path(), read.cause());
                    BrokenAnswer.cut(in);
                }
            });
            return;
        }
        forward(in, upstream, identity, requestId, body, false);
    }

    /**
     * A JSON body of known length up to {@link #SMALL_BODY} bytes, not waiting for a 100 Continue: MLflow's API
     * requests. Uploads stream, held to their minimum rate ({@link UploadRate}), whatever their size.
     */
    private static boolean smallBody(HttpServerRequest in) {
        long length = RequestBody.length(in);
        String type = in.getHeader(HttpHeaders.CONTENT_TYPE);
        return length > 0 && length <= SMALL_BODY && in.getHeader(HttpHeaders.EXPECT) == null && type != null
                && type.toLowerCase(Locale.ROOT).startsWith("application/json");
    }

    /**
     * @param again true when this is the one second attempt of a request whose pooled connection turned out closed
     *              (or reset) before any answer: a service that closes a kept-alive connection just as the gateway
     *              reuses it has not read the request (the fuzz suite met this after a service closed a connection
     *              following an answer). The second attempt takes a new connection, never another pooled one that
     *              may be closing too. Only a request the gateway can send again is resent: without a body, or with
     *              the body it already holds; a streamed upload has been consumed and stays a 503.
     */
    private void forward(HttpServerRequest in, Upstream upstream, Identity identity, String requestId, Buffer body,
                         boolean again) {
        URI address = addresses.of(upstream);
        String serviceName = upstream.name();
        String target = in.path() + (in.query() == null ? "" : "?" + in.query());
        RequestOptions options = new RequestOptions()
                .setMethod(in.method())
                .setHost(address.getHost())
                .setPort(address.getPort())
                .setURI(target)
                // How long to wait for a pooled connection, a new one's TCP connect included (not the TCP timeout).
                .setConnectTimeout(config.upstreamWait().toMillis())
                .setIdleTimeout(config.idleTimeout().toMillis());
        (again ? freshClient : client).request(options).onComplete(connected -> {
            if (connected.failed()) {
                Throwable cause = connected.cause();
                if (cause instanceof ConnectionPoolTooBusyException || cause instanceof TimeoutException) {
                    busy(in, serviceName, cause);
                } else {
                    unavailable(in, serviceName, cause);
                }
                return;
            }
            HttpClientRequest out = connected.result();
            if (in.response().closed()) { // the client left while the connection was being made
                out.reset();
                return;
            }
            copyRequestHeaders(in, out, identity, requestId, body);
            // Failures are handled through out.response(); this only keeps Vert.x from logging them again.
            out.exceptionHandler(cause -> LOG.debugf("%s %s to %s: %s", in.method(), in.path(), serviceName, cause));
            out.response().onComplete(answered -> {
                if (answered.failed() && (in.response().closed() || in.response().ended())) {
                    // Gone, or already answered by the gateway (an upload cut for its rate, by UploadRate).
                    LOG.debugf("%s %s: the client went away or was answered before %s answered", in.method(), in.path(),
                            serviceName);
                } else if (answered.failed() && !again && closedBeforeAnswer(answered.cause())
                        && (body != null || !RequestBody.announced(in))) {
                    LOG.debugf("%s %s: %s closed the connection before answering; sending it once more",
                            in.method(), in.path(), serviceName);
                    forward(in, upstream, identity, requestId, body, true);
                } else if (answered.failed()) {
                    unavailable(in, serviceName, answered.cause());
                } else {
                    relayResponse(in, out, answered.result(), serviceName);
                }
            });
            // The client went away before the answer was complete: stop the service's side too.
            in.response().closeHandler(closed -> out.reset());
            if (body != null) {
                out.end(body);
                return;
            }
            if (!RequestBody.announced(in)) {
                in.resume();
                out.end();
                return;
            }
            if ("100-continue".equalsIgnoreCase(in.getHeader(HttpHeaders.EXPECT))) {
                in.response().writeContinue(); // authorised and routed: now the client may send the body
            }
            out.setWriteQueueMaxSize(WRITE_QUEUE_BYTES);
            uploads.pipe(in, out).onFailure(cause -> out.reset(0, cause));
        });
    }

    /** The connection closed or was reset by the service before the head of an answer arrived. */
    private static boolean closedBeforeAnswer(Throwable cause) {
        return cause instanceof HttpClosedException
                || cause instanceof java.io.IOException && String.valueOf(cause.getMessage()).contains("reset");
    }

    private void copyRequestHeaders(HttpServerRequest in, HttpClientRequest out, Identity identity, String requestId,
                                    Buffer body) {
        MultiMap headers = out.headers();
        Set<String> connectionOptions = connectionOptions(in.headers());
        boolean traced = Span.current().getSpanContext().isValid();
        for (Map.Entry<String, String> header : in.headers()) {
            String name = header.getKey().toLowerCase(Locale.ROOT);
            if (!HOP_BY_HOP.contains(name) && !NOT_FORWARDED.contains(name) && !connectionOptions.contains(name)
                    && !name.startsWith("x-forwarded-") && !(traced && TRACE_CONTEXT.contains(name))) {
                headers.add(header.getKey(), header.getValue());
            }
        }
        if (body != null) {
            headers.set(HttpHeaders.CONTENT_LENGTH, Integer.toString(body.length()));
        } else if (in.getHeader(HttpHeaders.CONTENT_LENGTH) == null && RequestBody.announced(in)) {
            out.setChunked(true);
        }
        headers.set(GatewayHeaders.REQUEST_ID, requestId);
        headers.set(GatewayHeaders.USER, identity.name());
        credential.addTo(headers);
        headers.set("X-Forwarded-For", in.remoteAddress() == null ? "unknown" : in.remoteAddress().hostAddress());
        headers.set("X-Forwarded-Proto", in.scheme() == null ? "http" : in.scheme());
        if (in.getHeader(HttpHeaders.HOST) != null) {
            headers.set("X-Forwarded-Host", in.getHeader(HttpHeaders.HOST));
        }
    }

    private static void relayResponse(HttpServerRequest in, HttpClientRequest upstreamRequest,
                                      HttpClientResponse answer, String serviceName) {
        HttpServerResponse response = in.response();
        if (response.closed()) {
            upstreamRequest.reset();
            return;
        }
        if (isBareError(in, answer)) {
            // The service's HTTP layer refused it before its MLflow code ran (a 413 over its body limit, say): the
            // client still gets MLflow's error body. Such answers are a few bytes, read and dropped.
            int status = answer.statusCode();
            answer.body().onComplete(read -> LocalAnswer.error(in, status, ErrorCode.forHttpStatus(status),
                    serviceName + " refused the request: " + Requests.refusedByFramework(status, null)));
            return;
        }
        response.setStatusCode(answer.statusCode());
        response.setStatusMessage(answer.statusMessage());
        Set<String> connectionOptions = connectionOptions(answer.headers());
        for (Map.Entry<String, String> header : answer.headers()) {
            String name = header.getKey().toLowerCase(Locale.ROOT);
            if (!HOP_BY_HOP.contains(name) && !connectionOptions.contains(name)) {
                response.headers().add(header.getKey(), header.getValue());
            }
        }
        BrowserSafety.secureHeaders(response);
        response.setWriteQueueMaxSize(WRITE_QUEUE_BYTES);
        boolean bodyless = in.method() == HttpMethod.HEAD || answer.statusCode() == 204 || answer.statusCode() == 304;
        if (!bodyless && answer.getHeader(HttpHeaders.CONTENT_LENGTH) == null) {
            response.setChunked(true);
        }
        Pipe<Buffer> download = answer.pipe();
        download.endOnFailure(false);
        download.to(response).onFailure(cause -> {
            // Mid-body: the status line is gone, so the only honest signal left is a cut connection.
            LOG.debugf("Response from %s cut: %s", upstreamRequest.absoluteURI(), cause.toString());
            upstreamRequest.reset();
            BrokenAnswer.cut(in);
        });
    }

    /** An error answer that is not MLflow's JSON (no body, or not JSON); HEAD has no body to put it in. */
    private static boolean isBareError(HttpServerRequest in, HttpClientResponse answer) {
        String type = answer.getHeader(HttpHeaders.CONTENT_TYPE);
        return answer.statusCode() >= 400 && in.method() != HttpMethod.HEAD
                && (type == null || !type.toLowerCase(Locale.ROOT).startsWith("application/json"));
    }

    private static void unavailable(HttpServerRequest in, String serviceName, Throwable cause) {
        LOG.warnf("%s %s: %s unavailable: %s", in.method(), in.path(), serviceName, cause.toString());
        if (in.response().headWritten()) {
            BrokenAnswer.cut(in);
            return;
        }
        LocalAnswer.error(in, ErrorCode.TEMPORARILY_UNAVAILABLE, serviceName + " is unavailable; try again later.");
    }

    /**
     * No connection to the service within upstream-wait (every pooled one busy, or the service slow to accept), or
     * too many requests already waiting for one: busy rather than down, so Retry-After too.
     */
    private void busy(HttpServerRequest in, String serviceName, Throwable cause) {
        LOG.warnf("%s %s: %s busy: %s", in.method(), in.path(), serviceName, cause.toString());
        in.response().putHeader("Retry-After", IdentityLimits.RETRY_AFTER_SECONDS);
        LocalAnswer.error(in, ErrorCode.TEMPORARILY_UNAVAILABLE, serviceName + " is busy: no connection to it within "
                + config.upstreamWait().toMillis() + " ms (quarkflow.gateway.upstream-wait); try again later.");
    }

    /** Header names listed in Connection (RFC 9110 7.6.1) are hop-by-hop too. */
    private static Set<String> connectionOptions(MultiMap headers) {
        String connection = headers.get(HttpHeaders.CONNECTION);
        if (connection == null) {
            return Set.of();
        }
        return java.util.Arrays.stream(connection.split(","))
                .map(option -> option.strip().toLowerCase(Locale.ROOT))
                .collect(java.util.stream.Collectors.toSet());
    }
}
