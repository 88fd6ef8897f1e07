package io.quarkflow.projects;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Stands in for the part of tracking-service that projects-service calls, keeping runs and experiments in memory
 * and every call in {@link #CALLS}; the real pairing is tested through the gateway by the e2e module.
 */
@QuarkusTestResource(FakeTracking.class)
public class FakeTracking implements QuarkusTestResourceLifecycleManager {

    /** A request as it arrived: path (with query), body, and the request id it carried (null for none). */
    public record Call(String path, JsonNode body, String requestId) {
    }

    public static final List<Call> CALLS = new CopyOnWriteArrayList<>();
    /** run id → {info: {...}, data: {tags: [...], params: [...]}} */
    public static final Map<String, ObjectNode> RUNS = new ConcurrentHashMap<>();
    private static final Map<String, String> EXPERIMENTS = new ConcurrentHashMap<>(Map.of("Default", "0"));
    private static final ObjectMapper JSON = new ObjectMapper();

    private HttpServer server;

    @Override
    public Map<String, String> start() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/api/2.0/mlflow/", this::answer);
        server.start();
        return Map.of("quarkus.rest-client.tracking-service.url", "http://127.0.0.1:" + server.getAddress().getPort());
    }

    @Override
    public void stop() {
        server.stop(0);
    }

    /** The calls made for one run, in order. */
    public static List<Call> callsAbout(String runId) {
        return CALLS.stream().filter(call -> call.path().contains(runId) || runId.equals(call.body().path("run_id")
                .asText())).toList();
    }

    private void answer(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath().substring("/api/2.0/mlflow/".length());
        String query = exchange.getRequestURI().getRawQuery();
        JsonNode body = JSON.readTree(exchange.getRequestBody().readAllBytes());
        CALLS.add(new Call(path + (query == null ? "" : "?" + query), body == null ? JSON.createObjectNode() : body,
                exchange.getRequestHeaders().getFirst("X-Request-Id")));
        ObjectNode answer = JSON.createObjectNode();
        switch (path) {
            case "experiments/get-by-name" -> {
                String id = EXPERIMENTS.get(param(query, "experiment_name"));
                if (id == null) {
                    send(exchange, 404, error("RESOURCE_DOES_NOT_EXIST", "Could not find experiment"));
                    return;
                }
                answer.putObject("experiment").put("experiment_id", id).put("name", param(query, "experiment_name"));
            }
            case "experiments/create" -> {
                String id = Integer.toString(EXPERIMENTS.size() + 100);
                EXPERIMENTS.put(body.path("name").asText(), id);
                answer.put("experiment_id", id);
            }
            case "runs/create" -> {
                String runId = UUID.randomUUID().toString().replace("-", "");
                ObjectNode run = JSON.createObjectNode();
                run.putObject("info").put("run_id", runId).put("experiment_id", body.path("experiment_id").asText())
                        .put("status", "RUNNING").put("lifecycle_stage", "active");
                ArrayNode tags = run.putObject("data").putArray("tags");
                body.path("tags").forEach(tags::add);
                run.with("data").putArray("params");
                RUNS.put(runId, run);
                answer.set("run", run);
            }
            case "runs/log-batch" -> {
                body.path("params").forEach(((ArrayNode) run(body).with("data").get("params"))::add);
                body.path("tags").forEach(((ArrayNode) run(body).with("data").get("tags"))::add);
            }
            case "runs/set-tag" -> ((ArrayNode) run(body).with("data").get("tags")).addObject()
                    .put("key", body.path("key").asText()).put("value", body.path("value").asText());
            case "runs/update" -> {
                ((ObjectNode) run(body).get("info")).put("status", body.path("status").asText());
                answer.set("run_info", run(body).get("info"));
            }
            case "runs/get" -> {
                ObjectNode run = RUNS.get(param(query, "run_id"));
                if (run == null) {
                    send(exchange, 404, error("RESOURCE_DOES_NOT_EXIST", "Run not found"));
                    return;
                }
                answer.set("run", run);
            }
            default -> {
                send(exchange, 404, error("ENDPOINT_NOT_FOUND", "No such endpoint"));
                return;
            }
        }
        send(exchange, 200, answer);
    }

    private static ObjectNode run(JsonNode body) {
        return RUNS.get(body.path("run_id").asText());
    }

    private static ObjectNode error(String code, String message) {
        return JSON.createObjectNode().put("error_code", code).put("message", message);
    }

    private static String param(String query, String name) {
        for (String pair : query == null ? new String[0] : query.split("&")) {
            int eq = pair.indexOf('=');
            if (pair.substring(0, eq).equals(name)) {
                return URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            }
        }
        return null;
    }

    private static void send(HttpExchange exchange, int status, ObjectNode body) throws IOException {
        byte[] bytes = JSON.writeValueAsBytes(body);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}
