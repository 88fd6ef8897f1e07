package io.quarkflow.launcher;

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
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Stands in for tracking-service (runs/get, runs/update, runs/set-tag, runs/search, experiments/search) and for the
 * gateway's artifact downloads, recording what the launcher wrote; the real pairing is tested end to end. Tests
 * create runs with {@link #createRun} and read them back. The state lives in JDK types under a system property,
 * so that the test and the server see one copy whichever class loader loaded this class.
 */
@QuarkusTestResource(FakeTracking.class)
public class FakeTracking implements QuarkusTestResourceLifecycleManager {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ARTIFACTS = "/api/2.0/mlflow-artifacts/artifacts/";

    private HttpServer server;

    @Override
    public Map<String, String> start() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/api/2.0/mlflow/runs/get", FakeTracking::getRun);
        server.createContext("/api/2.0/mlflow/runs/update", FakeTracking::updateRun);
        server.createContext("/api/2.0/mlflow/runs/set-tag", FakeTracking::setTag);
        server.createContext("/api/2.0/mlflow/runs/search", FakeTracking::searchRuns);
        server.createContext("/api/2.0/mlflow/experiments/search", FakeTracking::searchExperiments);
        server.createContext(ARTIFACTS, FakeTracking::artifact);
        server.start();
        String url = "http://127.0.0.1:" + server.getAddress().getPort();
        return Map.of("quarkus.rest-client.tracking-service.url", url, "quarkflow.launcher.tracking-uri", url);
    }

    @Override
    public void stop() {
        if (server != null) {
            server.stop(0);
        }
    }

    /** A run as projects-service creates it: SCHEDULED (or another status), tagged with its backend. */
    public static void createRun(String runId, String status, String backend) {
        Map<String, Object> run = new ConcurrentHashMap<>();
        run.put("status", status);
        run.put("tags", new ConcurrentHashMap<>(Map.of("quarkflow.project.backend", backend)));
        run.put("updates", new CopyOnWriteArrayList<String>());
        run.put("traceParents", new CopyOnWriteArrayList<String>());
        runs().put(runId, run);
    }

    public static String status(String runId) {
        return (String) runs().get(runId).get("status");
    }

    /** Every status the launcher wrote, in order. */
    @SuppressWarnings("unchecked")
    public static List<String> updates(String runId) {
        return List.copyOf((List<String>) runs().get(runId).get("updates"));
    }

    /**
     * Each call about the run that carried a W3C traceparent, in order: {@code "get <traceparent>"} or
     * {@code "update <status> <traceparent>"}.
     */
    @SuppressWarnings("unchecked")
    public static List<String> traceParents(String runId) {
        return List.copyOf((List<String>) runs().get(runId).get("traceParents"));
    }

    @SuppressWarnings("unchecked")
    public static Map<String, String> tags(String runId) {
        return Map.copyOf((Map<String, String>) runs().get(runId).get("tags"));
    }

    /** Makes the gateway serve these bytes at {@code mlflow-artifacts:/<path>}. */
    public static void putArtifact(String path, byte[] content) {
        artifacts().put(path, content);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Map<String, Object>> runs() {
        return (Map<String, Map<String, Object>>) System.getProperties()
                .computeIfAbsent("quarkflow.test.fake-tracking.runs", key -> new ConcurrentHashMap<>());
    }

    @SuppressWarnings("unchecked")
    private static Map<String, byte[]> artifacts() {
        return (Map<String, byte[]>) System.getProperties()
                .computeIfAbsent("quarkflow.test.fake-tracking.artifacts", key -> new ConcurrentHashMap<>());
    }

    private static void getRun(HttpExchange exchange) throws IOException {
        String query = exchange.getRequestURI().getRawQuery();
        String runId = query == null ? "" : URLDecoder.decode(query.replaceFirst("^run_id=", ""), StandardCharsets.UTF_8);
        Map<String, Object> run = runs().get(runId);
        if (run == null) {
            notFound(exchange, runId);
            return;
        }
        traced(exchange, run, "get");
        ObjectNode body = JSON.createObjectNode();
        body.set("run", runJson(runId, run));
        respond(exchange, 200, body);
    }

    @SuppressWarnings("unchecked")
    private static void updateRun(HttpExchange exchange) throws IOException {
        JsonNode request = JSON.readTree(exchange.getRequestBody());
        String runId = request.path("run_id").asText();
        Map<String, Object> run = runs().get(runId);
        if (run == null) {
            notFound(exchange, runId);
            return;
        }
        String status = request.path("status").asText();
        traced(exchange, run, "update " + status);
        run.put("status", status);
        ((List<String>) run.get("updates")).add(status);
        ObjectNode body = JSON.createObjectNode();
        body.set("run_info", runJson(runId, run).get("info"));
        respond(exchange, 200, body);
    }

    @SuppressWarnings("unchecked")
    private static void setTag(HttpExchange exchange) throws IOException {
        JsonNode request = JSON.readTree(exchange.getRequestBody());
        String runId = request.path("run_id").asText();
        Map<String, Object> run = runs().get(runId);
        if (run == null) {
            notFound(exchange, runId);
            return;
        }
        ((Map<String, String>) run.get("tags")).put(request.path("key").asText(), request.path("value").asText());
        respond(exchange, 200, JSON.createObjectNode());
    }

    /** Understands only the launcher's filter: a backend tag and status RUNNING. */
    @SuppressWarnings("unchecked")
    private static void searchRuns(HttpExchange exchange) throws IOException {
        String filter = JSON.readTree(exchange.getRequestBody()).path("filter").asText();
        String backend = filter.contains("'kubernetes'") ? "kubernetes" : "local";
        ArrayNode found = JSON.createArrayNode();
        runs().forEach((runId, run) -> {
            if ("RUNNING".equals(run.get("status"))
                    && backend.equals(((Map<String, String>) run.get("tags")).get("quarkflow.project.backend"))) {
                found.add(runJson(runId, run));
            }
        });
        ObjectNode body = JSON.createObjectNode();
        body.set("runs", found);
        respond(exchange, 200, body);
    }

    private static void searchExperiments(HttpExchange exchange) throws IOException {
        ObjectNode body = JSON.createObjectNode();
        body.putArray("experiments").addObject().put("experiment_id", "1").put("name", "Default");
        respond(exchange, 200, body);
    }

    private static void artifact(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath().substring(ARTIFACTS.length());
        byte[] content = artifacts().get(path);
        if (content == null) {
            notFound(exchange, path);
            return;
        }
        exchange.sendResponseHeaders(200, content.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(content);
        }
    }

    @SuppressWarnings("unchecked")
    private static ObjectNode runJson(String runId, Map<String, Object> run) {
        ObjectNode node = JSON.createObjectNode();
        node.putObject("info").put("run_id", runId).put("experiment_id", "1")
                .put("status", (String) run.get("status")).put("lifecycle_stage", "active");
        ArrayNode tags = node.putObject("data").putArray("tags");
        ((Map<String, String>) run.get("tags")).forEach((key, value) -> tags.addObject().put("key", key)
                .put("value", value));
        return node;
    }

    @SuppressWarnings("unchecked")
    private static void traced(HttpExchange exchange, Map<String, Object> run, String call) {
        String traceParent = exchange.getRequestHeaders().getFirst("traceparent");
        if (traceParent != null) {
            ((List<String>) run.get("traceParents")).add(call + " " + traceParent);
        }
    }

    private static void notFound(HttpExchange exchange, String id) throws IOException {
        respond(exchange, 404, JSON.createObjectNode().put("error_code", "RESOURCE_DOES_NOT_EXIST")
                .put("message", "Run with id=" + id + " not found"));
    }

    private static void respond(HttpExchange exchange, int status, JsonNode json) throws IOException {
        byte[] body = JSON.writeValueAsBytes(json);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }
}
