package io.quarkflow.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.mlflow.api.proto.Service.Run;
import org.mlflow.tracking.MlflowClient;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * MLflow Projects run by Quarkflow, end to end through the authenticating gateway: projects-service takes the
 * submission, the launcher runs the entry point as a local process from a Git repository this test makes, and the
 * process logs to its run with the variables MLflow injects (MLFLOW_TRACKING_URI, MLFLOW_RUN_ID,
 * MLFLOW_EXPERIMENT_ID) and the run's own MLFLOW_TRACKING_TOKEN, which may change that run and no other.
 */
@EndToEnd
class ProjectsTest {

    private static final String API = "/api/2.0/quarkflow/projects/runs/";
    private static final Duration RUN_TIMEOUT = Duration.ofSeconds(90);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** A sleep no other process of this machine runs, to tell whether the cancelled one is gone. */
    private static final String SLEEP = "sleep 3107";
    private static final String MLPROJECT = """
            name: e2e-project
            entry_points:
              main:
                parameters:
                  greeting: {type: string, default: hello}
                  rate: {type: float, default: 0.1}
                command: "sh log.sh {greeting} {rate}"
              fail:
                command: "echo about to fail; exit 3"
              wait:
                command: "%s"
              intrude:
                parameters:
                  other_run: {type: string}
                  other_experiment: {type: string}
                command: "sh intrude.sh {other_run} {other_experiment}"
            """.formatted(SLEEP);
    /** Logs a param, a metric and an artifact with plain HTTP, as any client of the gateway could. */
    private static final String LOG_SH = """
            set -eu
            auth="Authorization: Bearer $MLFLOW_TRACKING_TOKEN"
            api="$MLFLOW_TRACKING_URI/api/2.0/mlflow"
            curl -sf -H "$auth" -H 'Content-Type: application/json' "$api/runs/log-parameter" \\
                -d "{\\"run_id\\": \\"$MLFLOW_RUN_ID\\", \\"key\\": \\"seen_greeting\\", \\"value\\": \\"$1\\"}"
            curl -sf -H "$auth" -H 'Content-Type: application/json' "$api/runs/log-metric" \\
                -d "{\\"run_id\\": \\"$MLFLOW_RUN_ID\\", \\"key\\": \\"rate\\", \\"value\\": $2, \\"timestamp\\": 1700000000000}"
            printf 'experiment %s\\n' "$MLFLOW_EXPERIMENT_ID" > out.txt
            curl -sf -H "$auth" -X PUT --data-binary @out.txt \\
                "$MLFLOW_TRACKING_URI/api/2.0/mlflow-artifacts/artifacts/$MLFLOW_EXPERIMENT_ID/$MLFLOW_RUN_ID/artifacts/out.txt"
            echo logged everything
            """;
    /**
     * Tries to log a param and an artifact to another run with the run's own token, then logs to its own run the
     * HTTP statuses it got.
     */
    private static final String INTRUDE_SH = """
            set -eu
            auth="Authorization: Bearer $MLFLOW_TRACKING_TOKEN"
            api="$MLFLOW_TRACKING_URI/api/2.0/mlflow"
            param=$(curl -s -o /dev/null -w '%{http_code}' -H "$auth" -H 'Content-Type: application/json' \\
                "$api/runs/log-parameter" -d "{\\"run_id\\": \\"$1\\", \\"key\\": \\"intruder\\", \\"value\\": \\"$MLFLOW_RUN_ID\\"}")
            artifact=$(curl -s -o /dev/null -w '%{http_code}' -H "$auth" -X PUT --data-binary planted \\
                "$MLFLOW_TRACKING_URI/api/2.0/mlflow-artifacts/artifacts/$2/$1/artifacts/planted.txt")
            curl -sf -H "$auth" -H 'Content-Type: application/json' "$api/runs/log-batch" -d "{\\"run_id\\": \\"$MLFLOW_RUN_ID\\", \\
                \\"params\\": [{\\"key\\": \\"other_run_param\\", \\"value\\": \\"$param\\"}, \\
                {\\"key\\": \\"other_run_artifact\\", \\"value\\": \\"$artifact\\"}]}"
            echo tried the other run
            """;

    private static Path repository;

    private final GatewayHttp http;
    private final GatewayHttp reader;
    private final MlflowClient client;

    ProjectsTest(QuarkflowSuite suite) {
        http = GatewayHttp.bearer(suite.gateway(), GatewayIdentities.EDITOR_TOKEN);
        reader = GatewayHttp.bearer(suite.gateway(), GatewayIdentities.READER_TOKEN);
        client = suite.editorClient();
    }

    @BeforeAll
    static void repository() throws IOException {
        repository = Files.createTempDirectory("e2e-project");
        Files.writeString(repository.resolve("MLproject"), MLPROJECT);
        Files.writeString(repository.resolve("log.sh"), LOG_SH);
        Files.writeString(repository.resolve("intrude.sh"), INTRUDE_SH);
        git("init", "-q", "-b", "main");
        git("add", ".");
        git("-c", "user.name=e2e", "-c", "user.email=e2e@example.com", "commit", "-q", "-m", "project");
    }

    @Test
    void anEntryPointRunsFromGitAndLogsToItsRun() {
        JsonNode submitted = submit(Map.of("uri", repository.toString(), "version", "main",
                "parameters", Map.of("greeting", "hi there"), "experiment_name", "projects-" + UUID.randomUUID(),
                "backend", "local"));
        String runId = submitted.at("/run/run_id").asText();
        assertEquals("SCHEDULED", submitted.at("/run/status").asText());

        JsonNode ended = awaitStatus(runId, "FINISHED");
        assertFalse(ended.at("/run/process").asText().isEmpty(), "the process that ran it: " + ended);

        Run run = client.getRun(runId);
        Map<String, String> params = new HashMap<>();
        run.getData().getParamsList().forEach(p -> params.put(p.getKey(), p.getValue()));
        assertEquals("hi there", params.get("seen_greeting"), "the value reached the command as one argument");
        assertEquals("'hi there'", params.get("greeting"), "MLflow logs parameters as they go into the command");
        assertEquals("0.1", params.get("rate"));
        assertEquals(0.1, run.getData().getMetrics(0).getValue());
        Map<String, String> tags = new HashMap<>();
        run.getData().getTagsList().forEach(t -> tags.put(t.getKey(), t.getValue()));
        assertEquals("PROJECT", tags.get("mlflow.source.type"));
        assertEquals("local", tags.get("mlflow.project.backend"));
        assertEquals("ci", tags.get("mlflow.user"), "the user the gateway authenticated");
        String experimentId = run.getInfo().getExperimentId();
        HttpResponse<String> artifact = http.get("/api/2.0/mlflow-artifacts/artifacts/" + experimentId + "/" + runId
                + "/artifacts/out.txt");
        assertEquals(200, artifact.statusCode());
        assertEquals("experiment " + experimentId + "\n", artifact.body());

        HttpResponse<String> logs = http.get(API + "logs?run_id=" + runId + "&tail=5");
        assertEquals(200, logs.statusCode(), logs.body());
        assertTrue(logs.body().contains("logged everything"), logs.body());
    }

    /** A project uploaded through the artifact proxy as a .tar.gz, with the project in a subdirectory of it. */
    @Test
    void anArchiveUploadedThroughTheArtifactProxyRuns() throws IOException, InterruptedException {
        Path tree = Files.createTempDirectory("e2e-archive");
        Files.createDirectories(tree.resolve("project"));
        Files.writeString(tree.resolve("project/MLproject"), MLPROJECT);
        Files.writeString(tree.resolve("project/log.sh"), LOG_SH);
        Path archive = tree.resolve("project.tar.gz");
        Process tar = new ProcessBuilder("tar", "czf", archive.toString(), "-C", tree.toString(), "project")
                .redirectErrorStream(true).start();
        assertEquals(0, tar.waitFor(), new String(tar.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
        String path = "projects/" + UUID.randomUUID() + "/project.tar.gz";
        assertEquals(200, http.put("/api/2.0/mlflow-artifacts/artifacts/" + path, Files.readAllBytes(archive))
                .statusCode());

        String runId = submit(Map.of("uri", "mlflow-artifacts:/" + path + "#project", "backend", "local",
                "parameters", Map.of("greeting", "from an archive"))).at("/run/run_id").asText();
        awaitStatus(runId, "FINISHED");
        Map<String, String> params = new HashMap<>();
        client.getRun(runId).getData().getParamsList().forEach(p -> params.put(p.getKey(), p.getValue()));
        assertEquals("from an archive", params.get("seen_greeting"));

        HttpResponse<String> missing = http.postJson(API + "submit",
                "{\"uri\": \"mlflow-artifacts:/projects/none.zip\", \"backend\": \"local\"}");
        assertEquals(400, missing.statusCode(), missing.body());
    }

    /** The run's token changes its own run (as above) and no other, even in the same experiment's store. */
    @Test
    void aRunsTokenIsRefusedForAnotherRun() {
        String experimentId = client.createExperiment("projects-other-" + UUID.randomUUID());
        String otherRun = client.createRun(experimentId).getRunId();
        String runId = submit(Map.of("uri", repository.toString(), "version", "main", "entry_point", "intrude",
                "backend", "local", "parameters", Map.of("other_run", otherRun, "other_experiment", experimentId)))
                .at("/run/run_id").asText();
        awaitStatus(runId, "FINISHED");

        Map<String, String> params = new HashMap<>();
        client.getRun(runId).getData().getParamsList().forEach(p -> params.put(p.getKey(), p.getValue()));
        assertEquals("403", params.get("other_run_param"), "logging to another run is refused: " + params);
        assertEquals("403", params.get("other_run_artifact"), "writing another run's artifacts is refused: " + params);
        assertEquals(List.of(), client.getRun(otherRun).getData().getParamsList(), "the other run is untouched");
        assertEquals(404, http.get("/api/2.0/mlflow-artifacts/artifacts/" + experimentId + "/" + otherRun
                + "/artifacts/planted.txt").statusCode());
    }

    @Test
    void aFailingEntryPointEndsFailedWithItsExitCode() {
        String runId = submit(Map.of("uri", repository.toString(), "entry_point", "fail", "backend", "local"))
                .at("/run/run_id").asText();
        JsonNode ended = awaitStatus(runId, "FAILED");
        assertTrue(ended.at("/run/failure_reason").asText().startsWith("exit code 3"), ended.toString());
        assertTrue(ended.at("/run/failure_reason").asText().contains("about to fail"), "the end of its output");
    }

    @Test
    void aCancelledRunEndsKilledWithNoProcessLeft() throws InterruptedException {
        String runId = submit(Map.of("uri", repository.toString(), "entry_point", "wait", "backend", "local"))
                .at("/run/run_id").asText();
        awaitStatus(runId, "RUNNING");
        long deadline = System.nanoTime() + RUN_TIMEOUT.toNanos();
        while (sleepers().isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertFalse(sleepers().isEmpty(), "the entry point's process started");

        HttpResponse<String> cancelled = http.postJson(API + "cancel", "{\"run_id\": \"" + runId + "\"}");
        assertEquals(200, cancelled.statusCode(), cancelled.body());
        awaitStatus(runId, "KILLED");
        assertEquals(List.of(), sleepers(), "cancel stops the whole process tree");
    }

    @Test
    void aReaderMayNotSubmit() {
        HttpResponse<String> refused = reader.postJson(API + "submit", "{\"uri\": \"" + repository + "\"}");
        assertEquals(403, refused.statusCode(), refused.body());
    }

    private JsonNode submit(Map<String, Object> body) {
        try {
            HttpResponse<String> response = http.postJson(API + "submit", JSON.writeValueAsString(body));
            assertEquals(200, response.statusCode(), response.body());
            return GatewayHttp.json(response);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Polls the run until it has this status; fails if it ends in another one or takes too long. */
    private JsonNode awaitStatus(String runId, String status) {
        long deadline = System.nanoTime() + RUN_TIMEOUT.toNanos();
        JsonNode run = null;
        while (System.nanoTime() < deadline) {
            run = GatewayHttp.json(http.get(API + "get?run_id=" + runId));
            String now = run.at("/run/status").asText();
            if (now.equals(status)) {
                return run;
            }
            if (List.of("FINISHED", "FAILED", "KILLED").contains(now)) {
                throw new AssertionError("run ended " + now + " instead of " + status + ": " + run
                        + "\nlogs: " + http.get(API + "logs?run_id=" + runId).body());
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        throw new AssertionError("run " + runId + " is not " + status + " after " + RUN_TIMEOUT + ": " + run);
    }

    private static List<ProcessHandle> sleepers() {
        return processes(SLEEP);
    }

    /** This machine's processes whose command line contains {@code text}. */
    static List<ProcessHandle> processes(String text) {
        List<ProcessHandle> found = new ArrayList<>();
        ProcessHandle.allProcesses().filter(p -> p.info().commandLine().orElse("").contains(text))
                .forEach(found::add);
        return found;
    }

    private static void git(String... args) {
        git(repository, args);
    }

    static void git(Path repository, String... args) {
        List<String> command = new ArrayList<>(List.of("git", "-C", repository.toString()));
        command.addAll(List.of(args));
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertEquals(0, process.waitFor(), command + ": " + output);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
