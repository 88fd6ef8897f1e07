package io.quarkflow.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import java.util.function.BiFunction;

/**
 * Quarkflow's project-run and workflow APIs and the artifact upload, through the gateway, over HTTP/1.1 as
 * MLflow's clients speak it. Every exchange has a timeout except a followed log, which lasts as long as the run.
 */
final class ProjectsApi {

    static final ObjectMapper JSON = new ObjectMapper();
    private static final String RUNS = "/api/2.0/quarkflow/projects/runs/";
    private static final String WORKFLOWS = "/api/2.0/quarkflow/workflows/";
    private static final String ARTIFACTS = "/api/2.0/mlflow-artifacts/artifacts/";
    /** The server's largest page of a listing. */
    private static final int MAX_PAGE = 1000;
    private static final Duration TIMEOUT = Duration.ofMinutes(2);
    /** An upload's answer comes after its last byte. */
    private static final Duration UPLOAD_TIMEOUT = Duration.ofMinutes(15);

    private final Connection connection;
    private final HttpClient client;

    ProjectsApi(Connection connection) {
        this.connection = connection;
        this.client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10))
                .build();
    }

    URI server() {
        return connection.server();
    }

    JsonNode submitRun(Map<String, Object> body) {
        return post(RUNS + "submit", body).path("run");
    }

    JsonNode getRun(String runId) {
        return get(RUNS + "get", query("run_id", runId)).path("run");
    }

    /** One page: {@code {"runs": [...], "next_page_token"}}. */
    JsonNode listRuns(String experimentId, String status, int maxResults, String pageToken) {
        return get(RUNS + "list", query("experiment_id", experimentId, "status", status,
                "max_results", String.valueOf(maxResults), "page_token", pageToken));
    }

    JsonNode cancelRun(String runId) {
        return post(RUNS + "cancel", Map.of("run_id", runId)).path("run");
    }

    /** The run's output as it comes; with {@code follow}, until the run ends. The caller closes it. */
    InputStream logs(String runId, boolean follow, Integer tail) {
        String query = query("run_id", runId, "follow", String.valueOf(follow),
                "tail", tail == null ? null : tail.toString());
        HttpResponse<InputStream> response = send(request(RUNS + "logs" + query).GET(),
                HttpResponse.BodyHandlers.ofInputStream());
        if (response.statusCode() != 200) {
            try (InputStream body = response.body()) {
                throw error(response.statusCode(), new String(body.readAllBytes(), StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return response.body();
    }

    /** Stores {@code bytes} at {@code path} of the artifact proxy; returns its {@code mlflow-artifacts:} URI. */
    String upload(String path, byte[] bytes) {
        StringJoiner encoded = new StringJoiner("/");
        for (String segment : path.split("/")) {
            encoded.add(URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20"));
        }
        HttpRequest.Builder put = request(ARTIFACTS + encoded).timeout(UPLOAD_TIMEOUT)
                .PUT(HttpRequest.BodyPublishers.ofByteArray(bytes));
        checked(send(put, HttpResponse.BodyHandlers.ofString()));
        return "mlflow-artifacts:/" + encoded;
    }

    JsonNode submitWorkflow(Map<String, Object> body) {
        return post(WORKFLOWS + "submit", body).path("workflow");
    }

    JsonNode getWorkflow(String workflowId) {
        return get(WORKFLOWS + "get", query("workflow_id", workflowId)).path("workflow");
    }

    /** One page: {@code {"workflows": [...], "next_page_token"}}. */
    JsonNode listWorkflows(String experimentId, String status, int maxResults, String pageToken) {
        return get(WORKFLOWS + "list", query("experiment_id", experimentId, "status", status,
                "max_results", String.valueOf(maxResults), "page_token", pageToken));
    }

    JsonNode cancelWorkflow(String workflowId) {
        return post(WORKFLOWS + "cancel", Map.of("workflow_id", workflowId)).path("workflow");
    }

    /** The {@code field} items of page after page, up to {@code wanted}; {@code page} takes a size and a token. */
    static List<JsonNode> pages(String field, int wanted, BiFunction<Integer, String, JsonNode> page) {
        List<JsonNode> items = new ArrayList<>();
        String token = null;
        do {
            JsonNode answer = page.apply(Math.min(wanted - items.size(), MAX_PAGE), token);
            for (JsonNode item : answer.path(field)) {
                if (items.size() < wanted) {
                    items.add(item);
                }
            }
            // An empty page ends it too: a token that leads nowhere must not loop.
            token = answer.path(field).isEmpty() ? "" : answer.path("next_page_token").asText("");
        } while (items.size() < wanted && !token.isEmpty());
        return items;
    }

    private JsonNode get(String path, String query) {
        return checked(send(request(path + query).GET(), HttpResponse.BodyHandlers.ofString()));
    }

    private JsonNode post(String path, Object body) {
        try {
            HttpRequest.Builder post = request(path).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
            return checked(send(post, HttpResponse.BodyHandlers.ofString()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private HttpRequest.Builder request(String pathAndQuery) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(connection.server() + pathAndQuery))
                .timeout(TIMEOUT);
        if (connection.authorization() != null) {
            request.header("Authorization", connection.authorization());
        }
        return request;
    }

    private <T> HttpResponse<T> send(HttpRequest.Builder request, HttpResponse.BodyHandler<T> body) {
        try {
            return client.send(request.build(), body);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot reach " + connection.server() + " (MLFLOW_TRACKING_URI): "
                    + reason(e), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted", e);
        }
    }

    private JsonNode checked(HttpResponse<String> response) {
        if (response.statusCode() / 100 != 2) {
            throw error(response.statusCode(), response.body());
        }
        try {
            return response.body().isEmpty() ? JSON.createObjectNode() : JSON.readTree(response.body());
        } catch (IOException e) {
            throw new ApiException("INVALID_RESPONSE", "The server answered no JSON: "
                    + abbreviated(response.body()));
        }
    }

    /** MLflow's error body when there is one; a hint when credentials were missing. */
    private ApiException error(int status, String body) {
        String code = "HTTP_" + status;
        String message = abbreviated(body);
        try {
            JsonNode json = JSON.readTree(body);
            if (json instanceof ObjectNode && json.hasNonNull("error_code")) {
                code = json.path("error_code").asText();
                message = json.path("message").asText();
            }
        } catch (IOException e) {
            // not MLflow's JSON: the body as it is
        }
        if (status == 401 && connection.authorization() == null) {
            message += " (set MLFLOW_TRACKING_TOKEN, or MLFLOW_TRACKING_USERNAME and MLFLOW_TRACKING_PASSWORD)";
        }
        return new ApiException(code, message);
    }

    /** The first message down the causes; the JDK's HttpClient says "ConnectException" alone when refused. */
    private static String reason(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause.getMessage() != null) {
                return cause.getMessage();
            }
        }
        return e instanceof ConnectException ? "connection refused" : e.getClass().getSimpleName();
    }

    private static String abbreviated(String body) {
        String line = body.strip();
        return line.length() > 300 ? line.substring(0, 300) + "..." : line;
    }

    /** {@code ?name=value&...} of the pairs whose value is not null, or "" when there are none. */
    static String query(String... pairs) {
        Map<String, String> present = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            if (pairs[i + 1] != null) {
                present.put(pairs[i], pairs[i + 1]);
            }
        }
        StringJoiner query = new StringJoiner("&", "?", "").setEmptyValue("");
        present.forEach((name, value) -> query.add(name + "=" + URLEncoder.encode(value, StandardCharsets.UTF_8)));
        return query.toString();
    }
}
