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
 * Stands in for tracking-service's {@code GET /api/2.0/mlflow/runs/get}; the real pairing is tested through the
 * gateway. A run's artifact_uri follows from its id, so tests need no shared state with this server:
 * <ul>
 * <li>{@code missing-*}: 404 RESOURCE_DOES_NOT_EXIST, as tracking-service answers an unknown run;</li>
 * <li>{@code s3-*}: {@code s3://<bucket>/<prefix>/1/<id>/artifacts}, only servable by the S3 backend;</li>
 * <li>{@code foreign-*}: a bucket this service does not own;</li>
 * <li>{@code escape-*}: an mlflow-artifacts URI that climbs out of the root;</li>
 * <li>anything else: {@code mlflow-artifacts:/1/<id>/artifacts}, MLflow's default.</li>
 * </ul>
 */
@QuarkusTestResource(FakeTrackingResource.class)
public class FakeTrackingResource implements QuarkusTestResourceLifecycleManager {

    private HttpServer server;

    @Override
    public Map<String, String> start() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/api/2.0/mlflow/runs/get", FakeTrackingResource::getRun);
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
        if (runId.startsWith("s3-")) {
            return "s3://" + TestStorage.BUCKET + "/" + TestStorage.PREFIX + "/1/" + runId + "/artifacts";
        }
        if (runId.startsWith("foreign-")) {
            return "s3://someone-elses-bucket/" + TestStorage.PREFIX + "/1/" + runId + "/artifacts";
        }
        if (runId.startsWith("escape-")) {
            return "mlflow-artifacts:/1/%2e%2e/%2e%2e/%2e%2e";
        }
        return "mlflow-artifacts:/1/" + runId + "/artifacts";
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

    private static void respond(HttpExchange exchange, int status, String json) throws IOException {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }
}
