package io.quarkflow.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The commands against a stand-in for the gateway (the JDK's HTTP server): the requests they make, what they print
 * and their exit codes. The real server is e2e's CliTest.
 */
class CommandsTest {

    /** A request as the stand-in saw it. */
    record Request(String method, String target, String authorization, byte[] body) {

        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    /** An answer of the stand-in. */
    record Answer(int status, String body) {

        static Answer json(String body) {
            return new Answer(200, body);
        }
    }

    @TempDir
    Path temp;

    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private volatile Function<Request, Answer> server;
    private HttpServer http;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @BeforeEach
    void start() throws IOException {
        http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        http.createContext("/", this::handle);
        http.start();
    }

    @AfterEach
    void stop() {
        http.stop(0);
    }

    @Test
    void aFollowedRunStreamsItsOutputWaitsForItsStartAndExitsByItsStatus() {
        AtomicInteger logCalls = new AtomicInteger();
        server = request -> switch (path(request)) {
            case "/api/2.0/quarkflow/projects/runs/submit" -> Answer.json("""
                    {"run": {"run_id": "r1", "status": "SCHEDULED", "backend": "local", "experiment_id": "4",
                             "command": "sh log.sh hi"}}""");
            case "/api/2.0/quarkflow/projects/runs/logs" -> logCalls.incrementAndGet() < 3
                    ? new Answer(404, "{\"error_code\": \"RESOURCE_DOES_NOT_EXIST\", \"message\": \"No output\"}")
                    : new Answer(200, "the project says hi\n");
            case "/api/2.0/quarkflow/projects/runs/get" -> Answer.json(logCalls.get() < 3
                    ? "{\"run\": {\"run_id\": \"r1\", \"status\": \"SCHEDULED\"}}"
                    : "{\"run\": {\"run_id\": \"r1\", \"status\": \"FAILED\", \"failure_reason\": \"exit code 3\"}}");
            default -> new Answer(500, "unexpected");
        };

        int code = cli("run", "https://github.com/x/y#sub", "-P", "greeting=hi", "-b", "local", "--run-name", "r");

        assertEquals(1, code, err());
        assertEquals("the project says hi\n", out(), "the output, waited for while the run was scheduled");
        assertTrue(err().contains("Run r1 submitted to http://127.0.0.1:"), err());
        assertTrue(err().contains("Run r1 FAILED: exit code 3"), err());
        Request submit = requests.get(0);
        assertEquals("POST", submit.method());
        assertEquals("Bearer test-token", submit.authorization());
        assertEquals(json("""
                {"uri": "https://github.com/x/y#sub", "parameters": {"greeting": "hi"}, "run_name": "r",
                 "backend": "local"}"""), json(submit.text()));
        assertEquals(3, logCalls.get());
        assertTrue(requests.stream().anyMatch(r -> r.target().equals(
                "/api/2.0/quarkflow/projects/runs/logs?run_id=r1&follow=true")), requests.toString());
    }

    @Test
    void aRunThatEndedBeforeTheFirstLookStillShowsItsOutputAndFinishes() {
        AtomicInteger logCalls = new AtomicInteger();
        server = request -> switch (path(request)) {
            case "/api/2.0/quarkflow/projects/runs/logs" -> logCalls.incrementAndGet() == 1
                    ? new Answer(404, "{\"error_code\": \"RESOURCE_DOES_NOT_EXIST\", \"message\": \"No output\"}")
                    : new Answer(200, "quick\n");
            case "/api/2.0/quarkflow/projects/runs/get" -> Answer.json("{\"run\": {\"status\": \"FINISHED\"}}");
            default -> Answer.json("{\"run\": {\"run_id\": \"r2\", \"status\": \"SCHEDULED\"}}");
        };
        assertEquals(0, cli("run", "https://github.com/x/y"), err());
        assertEquals("quick\n", out());
        assertTrue(err().contains("Run r2 FINISHED"), err());
    }

    @Test
    void detachPrintsTheRunIdAndReturns() {
        server = request -> Answer.json("{\"run\": {\"run_id\": \"r3\", \"status\": \"SCHEDULED\"}}");
        assertEquals(0, cli("run", "https://github.com/x/y", "--detach"));
        assertEquals("r3\n", out());
        assertEquals(1, requests.size(), "nothing followed");
    }

    @Test
    void aDirectoryIsUploadedUnderItsContentsNameAndSubmittedAsThatUri() throws IOException {
        Path project = Files.createDirectories(temp.resolve("tree/project"));
        Files.writeString(project.resolve("MLproject"), "name: p\n");
        server = request -> request.method().equals("PUT") ? new Answer(200, "{}")
                : Answer.json("{\"run\": {\"run_id\": \"r4\", \"status\": \"SCHEDULED\"}}");

        assertEquals(0, cli("run", "tree#project", "--detach"), err());

        ProjectArchive archive = ProjectArchive.pack(temp.resolve("tree"));
        Request put = requests.get(0);
        assertEquals("/api/2.0/mlflow-artifacts/artifacts/projects/sha256-" + archive.sha256() + "/tree.tar.gz",
                put.target());
        assertArrayEquals(archive.bytes(), put.body());
        assertEquals("mlflow-artifacts:/projects/sha256-" + archive.sha256() + "/tree.tar.gz#project",
                json(requests.get(1).text()).path("uri").asText());
    }

    @Test
    void serverErrorsPrintTheirCodeAndMessageAndExitWithOne() {
        server = request -> new Answer(404, "{\"error_code\": \"RESOURCE_DOES_NOT_EXIST\", \"message\": \"Run "
                + "with id=nope not found\"}");
        assertEquals(1, cli("cancel", "nope"));
        assertEquals("RESOURCE_DOES_NOT_EXIST: Run with id=nope not found\n", err());

        err.reset();
        server = request -> new Answer(502, "<html>Bad Gateway</html>");
        assertEquals(1, cli("logs", "r1"));
        assertEquals("HTTP_502: <html>Bad Gateway</html>\n", err());

        err.reset();
        server = request -> new Answer(401, "{\"error_code\": \"UNAUTHENTICATED\", \"message\": \"Log in\"}");
        assertEquals(1, Main.run(List.of("runs"), Map.of("MLFLOW_TRACKING_URI", address()), null, temp,
                new PrintStream(out), new PrintStream(err)));
        assertTrue(err().startsWith("UNAUTHENTICATED: Log in (set MLFLOW_TRACKING_TOKEN"), err());
    }

    @Test
    void runsFollowsPagesUpToMaxResults() {
        server = request -> request.target().contains("page_token=p2")
                ? Answer.json("{\"runs\": [" + run("c") + "]}")
                : Answer.json("{\"runs\": [" + run("a") + ", " + run("b") + "], \"next_page_token\": \"p2\"}");

        assertEquals(0, cli("runs", "--experiment-id", "4", "--status", "RUNNING"));
        List<String> lines = out().lines().toList();
        assertEquals(4, lines.size(), out());
        assertTrue(lines.get(0).startsWith("RUN ID"), out());
        assertTrue(lines.get(3).startsWith("c  "), out());
        assertTrue(lines.get(1).contains("RUNNING") && lines.get(1).endsWith("https://github.com/x/y"), out());
        assertEquals("/api/2.0/quarkflow/projects/runs/list?experiment_id=4&status=RUNNING&max_results=100",
                requests.get(0).target());
        assertEquals("/api/2.0/quarkflow/projects/runs/list?experiment_id=4&status=RUNNING&max_results=98"
                + "&page_token=p2", requests.get(1).target());

        out.reset();
        requests.clear();
        assertEquals(0, cli("runs", "--max-results", "2"));
        assertEquals(3, out().lines().count(), "two runs and the header");
        assertEquals(1, requests.size(), "enough after the first page");
    }

    @Test
    void logsWithATailAndCancel() {
        server = request -> path(request).endsWith("/logs") ? new Answer(200, "last line\n")
                : Answer.json("{\"run\": {\"run_id\": \"r5\", \"status\": \"RUNNING\"}}");
        assertEquals(0, cli("logs", "r5", "--tail", "1"));
        assertEquals("last line\n", out());
        assertEquals("/api/2.0/quarkflow/projects/runs/logs?run_id=r5&follow=false&tail=1", requests.get(0).target());

        out.reset();
        assertEquals(0, cli("cancel", "r5"));
        assertEquals("Run r5: RUNNING, cancel requested\n", out());
        assertEquals(json("{\"run_id\": \"r5\"}"), json(requests.get(1).text()));
    }

    @Test
    void aWorkflowIsFollowedToItsEnd() throws IOException {
        Path file = Files.writeString(temp.resolve("flow.yaml"), "name: flow\nsteps: [{name: a, uri: "
                + "https://github.com/x/y, parameters: {alpha: 0.5}}]\n");
        AtomicInteger gets = new AtomicInteger();
        server = request -> switch (path(request)) {
            case "/api/2.0/quarkflow/workflows/submit" -> Answer.json("""
                    {"workflow": {"workflow_id": "w1", "name": "flow", "status": "RUNNING", "steps": []}}""");
            case "/api/2.0/quarkflow/workflows/get" -> Answer.json(gets.incrementAndGet() == 1
                    ? "{\"workflow\": {\"status\": \"RUNNING\", \"steps\": [{\"name\": \"a\", \"status\": \"RUNNING\","
                            + " \"run_id\": \"r1\"}]}}"
                    : "{\"workflow\": {\"status\": \"FINISHED\", \"steps\": [{\"name\": \"a\","
                            + " \"status\": \"FINISHED\", \"run_id\": \"r1\"}]}}");
            default -> new Answer(500, "unexpected");
        };

        assertEquals(0, cli("workflow", "run", file.toString(), "-P", "alpha=0.7"), err());
        assertEquals("step a: RUNNING (run r1)\nstep a: FINISHED (run r1)\n", out());
        assertTrue(err().contains("Workflow w1 FINISHED"), err());
        assertEquals(json("""
                {"workflow": {"name": "flow", "steps": [{"name": "a", "uri": "https://github.com/x/y",
                 "parameters": {"alpha": "0.5"}}]}, "parameters": {"alpha": "0.7"}}"""), json(requests.get(0).text()));
    }

    private int cli(String... args) {
        return Main.run(List.of(args), Map.of("MLFLOW_TRACKING_URI", address(), "MLFLOW_TRACKING_TOKEN", "test-token"),
                null, temp, new PrintStream(out, true), new PrintStream(err, true));
    }

    private String address() {
        return "http://127.0.0.1:" + http.getAddress().getPort();
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    private static String run(String id) {
        return "{\"run_id\": \"" + id + "\", \"status\": \"RUNNING\", \"backend\": \"local\", \"entry_point\": "
                + "\"main\", \"submitted_at\": 1700000000000, \"project_uri\": \"https://github.com/x/y\"}";
    }

    private static String path(Request request) {
        int query = request.target().indexOf('?');
        return query < 0 ? request.target() : request.target().substring(0, query);
    }

    private static JsonNode json(String text) {
        try {
            return ProjectsApi.JSON.readTree(text);
        } catch (IOException e) {
            throw new AssertionError(text, e);
        }
    }

    private void handle(HttpExchange exchange) throws IOException {
        Request request = new Request(exchange.getRequestMethod(), exchange.getRequestURI().toString(),
                exchange.getRequestHeaders().getFirst("Authorization"), exchange.getRequestBody().readAllBytes());
        requests.add(request);
        Answer answer = server.apply(request);
        byte[] body = answer.body().getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(answer.status(), body.length);
        try (OutputStream response = exchange.getResponseBody()) {
            response.write(body);
        }
    }
}
