package io.quarkflow.artifact;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Stands in for tracking-service's {@code GET /api/2.0/mlflow/runs/get} and {@code GET
 * /api/2.0/mlflow/logged-models/<model_id>}; the real pairing is tested through the gateway. An artifact_uri
 * follows from the id, so tests need no shared state with this server:
 * <ul>
 * <li>{@code missing-*}: 404 RESOURCE_DOES_NOT_EXIST, as tracking-service answers an unknown id;</li>
 * <li>{@code s3-*}: {@code s3://<bucket>/<prefix>/1/<id>/artifacts}, only servable by the S3 backend;</li>
 * <li>{@code foreign-*}: a bucket this service does not own;</li>
 * <li>{@code escape-*}: an mlflow-artifacts URI that climbs out of the root;</li>
 * <li>anything else: MLflow's default, {@code mlflow-artifacts:/1/<id>/artifacts} for a run and
 * {@code mlflow-artifacts:/1/models/<id>/artifacts} for a logged model.</li>
 * </ul>
 */
@QuarkusTestResource(FakeTrackingResource.class)
public class FakeTrackingResource implements QuarkusTestResourceLifecycleManager {

    private static final String LOGGED_MODELS = "/api/2.0/mlflow/logged-models/";

    private HttpServer server;

    @Override
    public Map<String, String> start() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/api/2.0/mlflow/runs/get", FakeTrackingResource::getRun);
        server.createContext(LOGGED_MODELS, FakeTrackingResource::getLoggedModel);
        server.start();
        return Map.of("quarkus.rest-client.tracking-service.url", "http://127.0.0.1:" + server.getAddress().getPort());
    }

    @Override
    public void stop() {
        if (server != null) {
            server.stop(0);
        }
    }

    public static String artifactUri(String runId) {
        return artifactUri(runId, "1/" + runId + "/artifacts");
    }

    public static String loggedModelUri(String modelId) {
        return artifactUri(modelId, "1/models/" + modelId + "/artifacts");
    }

    private static String artifactUri(String id, String defaultPath) {
        if (id.startsWith("s3-")) {
            return "s3://" + TestStorage.BUCKET + "/" + TestStorage.PREFIX + "/1/" + id + "/artifacts";
        }
        if (id.startsWith("foreign-")) {
            return "s3://someone-elses-bucket/" + TestStorage.PREFIX + "/1/" + id + "/artifacts";
        }
        if (id.startsWith("escape-")) {
            return "mlflow-artifacts:/1/%2e%2e/%2e%2e/%2e%2e";
        }
        return "mlflow-artifacts:/" + defaultPath;
    }

    private static void getRun(HttpExchange exchange) throws IOException {
        String query = exchange.getRequestURI().getRawQuery();
        String runId = query == null || !query.startsWith("run_id=")
                ? "" : URLDecoder.decode(query.substring("run_id=".length()), StandardCharsets.UTF_8);
        if (runId.startsWith("missing-")) {
            respond(exchange, 404, "{\"error_code\":\"RESOURCE_DOES_NOT_EXIST\",\"message\":\"Run with id="
                    + runId + " not found\"}");
            return;
        }
        respond(exchange, 200, "{\"run\":{\"info\":{\"run_id\":\"" + runId + "\",\"run_uuid\":\"" + runId
                + "\",\"experiment_id\":\"1\",\"status\":\"RUNNING\",\"lifecycle_stage\":\"active\","
                + "\"artifact_uri\":\"" + artifactUri(runId) + "\"},\"data\":{}}}");
    }

    /** MLflow's GetLoggedModel answer, its artifact root in {@code artifact_uri} as on MLflow's wire. */
    private static void getLoggedModel(HttpExchange exchange) throws IOException {
        String modelId = exchange.getRequestURI().getPath().substring(LOGGED_MODELS.length());
        if (modelId.contains("/")) {
            respond(exchange, 404, "{\"error_code\":\"ENDPOINT_NOT_FOUND\",\"message\":\"No such endpoint\"}");
            return;
        }
        if (modelId.startsWith("missing-")) {
            respond(exchange, 404, "{\"error_code\":\"RESOURCE_DOES_NOT_EXIST\",\"message\":\"Logged model with ID '"
                    + modelId + "' not found.\"}");
            return;
        }
        respond(exchange, 200, "{\"model\":{\"info\":{\"model_id\":\"" + modelId + "\",\"experiment_id\":\"1\","
                + "\"name\":\"model\",\"artifact_uri\":\"" + loggedModelUri(modelId) + "\","
                + "\"status\":\"LOGGED_MODEL_READY\"},\"data\":{}}}");
    }

    private static void respond(HttpExchange exchange, int status, String json) throws IOException {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }
}
