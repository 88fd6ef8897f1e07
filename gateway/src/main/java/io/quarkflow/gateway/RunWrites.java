package io.quarkflow.gateway;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import io.quarkflow.mlflow.errors.ErrorCode;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.net.URI;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Enforces {@link RunScope} for a run token's writes, without blocking: reads the JSON body when it must name the
 * run (bounded, then forwarded unchanged), or asks tracking-service which run a logged model comes from. Only run
 * identities come here; every other body still streams through the gateway unread.
 */
@Singleton
class RunWrites {

    /** Far above any MLflow JSON request (log-batch is capped at 1,000 items); an artifact never comes here. */
    static final int MAX_JSON_BODY = 16 * 1024 * 1024;
    private static final int MAX_CACHED_MODELS = 10_000;
    private static final long LOOKUP_TIMEOUT_MILLIS = 10_000;
    /** Model ids as tracking-service makes them ({@code m-<hex>}); anything else is never put into a URL. */
    private static final Pattern MODEL_ID = Pattern.compile("[A-Za-z0-9_-]{1,128}");
    /** Duplicate keys are refused: the service must not read another run id from the same bytes than the gateway. */
    private static final JsonFactory JSON = JsonFactory.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();

    /** A write the run may not make, with the answer to give. */
    static final class Refused extends RuntimeException {
        final int status;
        final ErrorCode code;

        Refused(int status, ErrorCode code, String message) {
            super(message, null, false, false);
            this.status = status;
            this.code = code;
        }
    }

    private final Proxy proxy;
    private final SuiteCredential credential;
    private final URI tracking;
    /** A logged model's source run, which never changes once created; crudely bounded like the verified logins. */
    private final Map<String, String> modelRuns = new ConcurrentHashMap<>();

    RunWrites(Proxy proxy, UpstreamAddresses addresses, SuiteCredential credential) {
        this.proxy = proxy;
        this.credential = credential;
        this.tracking = addresses.of(Route.Target.TRACKING.upstream().orElseThrow());
    }

    /**
     * Succeeds when the run may make this write: with the body when it had to be read (to be forwarded as it is),
     * or with null when it was not touched and streams as usual. Fails with {@link Refused}.
     */
    Future<Buffer> authorise(HttpServerRequest request, String path, String runId, String requestId) {
        RunScope.Requirement requirement = RunScope.of(request.method(), path, runId);
        if (requirement instanceof RunScope.Allowed) {
            return Future.succeededFuture();
        }
        if (requirement instanceof RunScope.BodyNamesRun body) {
            return readBody(request).compose(bytes -> namesRun(bytes, body.fields(), runId)
                    ? Future.succeededFuture(bytes) : Future.failedFuture(denied(request, path, runId)));
        }
        if (requirement instanceof RunScope.ModelOfRun model) {
            return sourceRun(model.modelId(), runId, requestId).compose(source -> source.equals(runId)
                    ? Future.<Buffer>succeededFuture() : Future.failedFuture(denied(request, path, runId)));
        }
        return Future.failedFuture(denied(request, path, runId));
    }

    private static Refused denied(HttpServerRequest request, String path, String runId) {
        return new Refused(ErrorCode.PERMISSION_DENIED.httpStatus(), ErrorCode.PERMISSION_DENIED, "The token of run "
                + runId + " may read, and change only that run (" + request.method() + " " + path + ").");
    }

    /** The whole body, up to {@link #MAX_JSON_BODY}; a longer one is refused 413 before or as soon as it shows. */
    private static Future<Buffer> readBody(HttpServerRequest request) {
        Refused tooLarge = new Refused(413, ErrorCode.INVALID_PARAMETER_VALUE,
                "The request body is larger than " + MAX_JSON_BODY + " bytes.");
        if (RequestBody.length(request) > MAX_JSON_BODY) {
            return Future.failedFuture(tooLarge);
        }
        if (!RequestBody.announced(request)) {
            return Future.succeededFuture(Buffer.buffer());
        }
        if ("100-continue".equalsIgnoreCase(request.getHeader(HttpHeaders.EXPECT))) {
            request.response().writeContinue();
        }
        Promise<Buffer> read = Promise.promise();
        Buffer body = Buffer.buffer();
        request.handler(chunk -> {
            if (body.length() + chunk.length() > MAX_JSON_BODY) {
                request.pause(); // the answer closes the connection: nothing more of it is read
                read.tryFail(tooLarge);
            } else {
                body.appendBuffer(chunk);
            }
        });
        request.exceptionHandler(read::tryFail);
        request.endHandler(ended -> read.tryComplete(body));
        request.resume();
        return read.future();
    }

    /**
     * Whether the JSON object names the run in at least one of the fields and in every one present; top-level
     * fields only. Malformed JSON, a second document after the first or a duplicate key is no.
     */
    static boolean namesRun(Buffer body, List<String> fields, String runId) {
        Map<String, String> found = new HashMap<>();
        try (JsonParser parser = JSON.createParser(body.getBytes())) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return false;
            }
            for (JsonToken token = parser.nextToken(); token == JsonToken.FIELD_NAME; token = parser.nextToken()) {
                String name = parser.currentName();
                JsonToken value = parser.nextToken();
                if (!fields.contains(name) || value == JsonToken.VALUE_NULL) {
                    parser.skipChildren();
                } else if (value == JsonToken.VALUE_STRING) {
                    found.put(name, parser.getText());
                } else {
                    return false;
                }
            }
            if (parser.currentToken() != JsonToken.END_OBJECT || parser.nextToken() != null) {
                return false;
            }
        } catch (IOException malformed) {
            return false;
        }
        // As MLflow reads them (run_id or run_uuid): an empty one does not count.
        found.values().removeIf(String::isEmpty);
        return !found.isEmpty() && found.values().stream().allMatch(runId::equals);
    }

    /** The run a logged model comes from (empty when none), asked of tracking-service once and then remembered. */
    private Future<String> sourceRun(String modelId, String runId, String requestId) {
        if (!MODEL_ID.matcher(modelId).matches()) {
            return Future.failedFuture(new Refused(403, ErrorCode.PERMISSION_DENIED,
                    "The token of run " + runId + " may change only logged models of that run."));
        }
        String known = modelRuns.get(modelId);
        if (known != null) {
            return Future.succeededFuture(known);
        }
        RequestOptions options = new RequestOptions()
                .setMethod(HttpMethod.GET)
                .setHost(tracking.getHost())
                .setPort(tracking.getPort())
                .setURI("/api/2.0/mlflow/logged-models/" + modelId)
                .setTimeout(LOOKUP_TIMEOUT_MILLIS)
                .putHeader(GatewayHeaders.USER, Identity.ofRun(runId).name())
                .putHeader(GatewayHeaders.REQUEST_ID, requestId);
        credential.addTo(options.getHeaders());
        return proxy.client().request(options)
                .compose(lookup -> lookup.send().compose(answer -> answer.body().map(body -> {
                    if (answer.statusCode() == 404) {
                        throw new Refused(403, ErrorCode.PERMISSION_DENIED, "The token of run " + runId
                                + " may change only logged models of that run; there is no model " + modelId + ".");
                    }
                    if (answer.statusCode() != 200) {
                        throw new IllegalStateException("HTTP " + answer.statusCode());
                    }
                    JsonObject info = new JsonObject(body).getJsonObject("model", new JsonObject())
                            .getJsonObject("info", new JsonObject());
                    return info.getString("source_run_id", "");
                })))
                .recover(cause -> Future.failedFuture(cause instanceof Refused ? cause : new Refused(503,
                        ErrorCode.TEMPORARILY_UNAVAILABLE, "Could not ask tracking-service about logged model "
                        + modelId + "; try again later.")))
                .onSuccess(source -> remember(modelId, source));
    }

    private void remember(String modelId, String sourceRun) {
        if (modelRuns.size() >= MAX_CACHED_MODELS) {
            modelRuns.clear(); // crude bound; costs one lookup per model in use
        }
        modelRuns.put(modelId, sourceRun);
    }
}
