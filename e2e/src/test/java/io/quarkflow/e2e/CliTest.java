package io.quarkflow.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkflow.e2e.QuarkflowCli.Result;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.mlflow.api.proto.Service.Experiment;
import org.mlflow.api.proto.Service.Run;
import org.mlflow.tracking.MlflowClient;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code ./quarkflow run|runs|logs|cancel}: the client's jar run as its own process, as a user runs it, against the
 * authenticating gateway with MLFLOW_TRACKING_URI and MLFLOW_TRACKING_TOKEN. The project is a directory this test
 * writes, uploaded by the client; the server runs it with its local backend.
 */
@EndToEnd
class CliTest {

    private static final String API = "/api/2.0/quarkflow/projects/runs/";
    private static final Duration TIMEOUT = Duration.ofSeconds(180);
    /** A sleep no other process of this machine runs (ProjectsTest and the Python tests have their own). */
    private static final String SLEEP = "sleep 3217";
    private static final String MLPROJECT = """
            name: cli-project
            entry_points:
              main:
                parameters:
                  greeting: {type: string, default: hello}
                command: "sh log.sh {greeting}"
              fail:
                command: "echo failing on purpose; exit 3"
              wait:
                command: "%s"
            """.formatted(SLEEP);
    /** Logs a param with plain HTTP, as any client of the gateway could, and says so on its output. */
    private static final String LOG_SH = """
            set -eu
            curl -sf -H "Authorization: Bearer $MLFLOW_TRACKING_TOKEN" -H 'Content-Type: application/json' \\
                "$MLFLOW_TRACKING_URI/api/2.0/mlflow/runs/log-parameter" \\
                -d "{\\"run_id\\": \\"$MLFLOW_RUN_ID\\", \\"key\\": \\"seen\\", \\"value\\": \\"$1\\"}"
            echo "the project says $1"
            """;
    private static final Pattern SUBMITTED = Pattern.compile("Run ([0-9a-f]{32}) submitted");

    private static Path project;
    private static Path workingDirectory;

    private final QuarkflowSuite suite;
    private final GatewayHttp http;
    private final MlflowClient client;

    CliTest(QuarkflowSuite suite) {
        this.suite = suite;
        http = GatewayHttp.bearer(suite.gateway(), GatewayIdentities.EDITOR_TOKEN);
        client = suite.editorClient();
    }

    @BeforeAll
    static void project() throws IOException {
        Path tree = Files.createTempDirectory("e2e-cli");
        project = Files.createDirectories(tree.resolve("cli-project"));
        Files.writeString(project.resolve("MLproject"), MLPROJECT);
        Files.writeString(project.resolve("log.sh"), LOG_SH);
        Files.createDirectories(project.resolve(".git"));
        Files.writeString(project.resolve(".git/HEAD"), "not for the server\n");
        workingDirectory = Files.createDirectories(tree.resolve("cwd"));
    }

    @Test
    void aDirectoryRunsOnTheServerWithItsOutputStreamedHere() {
        String name = "cli-" + UUID.randomUUID();
        Result done = cli(GatewayIdentities.EDITOR_TOKEN, "run", project.toString(), "-b", "local",
                "-P", "greeting=hi there", "--experiment-name", name, "--run-name", "from-cli");

        assertEquals(0, done.exitCode(), done.toString());
        assertTrue(done.out().contains("the project says hi there"), done.toString());
        String runId = runId(done);
        assertTrue(done.err().contains("Run " + runId + " FINISHED"), done.toString());

        Experiment experiment = client.getExperimentByName(name).orElseThrow();
        Run run = client.getRun(runId);
        assertEquals(experiment.getExperimentId(), run.getInfo().getExperimentId());
        assertEquals("FINISHED", run.getInfo().getStatus().name());
        assertEquals("from-cli", run.getInfo().getRunName());
        Map<String, String> params = new HashMap<>();
        run.getData().getParamsList().forEach(p -> params.put(p.getKey(), p.getValue()));
        assertEquals("hi there", params.get("seen"), "the value reached the command as one argument");
        String uri = projectRun(runId).path("project_uri").asText();
        assertTrue(uri.matches("mlflow-artifacts:/projects/sha256-[0-9a-f]{64}/cli-project\\.tar\\.gz"), uri);
    }

    @Test
    void aFailingEntryPointExitsWithOneAndShowsItsOutput() {
        Result done = cli(GatewayIdentities.EDITOR_TOKEN, "run", project.toString(), "-e", "fail",
                "--backend-config", "{\"backend\": \"local\"}", "--experiment-name", "cli-fail-" + UUID.randomUUID());

        assertEquals(1, done.exitCode(), done.toString());
        assertTrue(done.out().contains("failing on purpose"), done.toString());
        assertTrue(done.err().contains("Run " + runId(done) + " FAILED: exit code 3"), done.toString());
    }

    @Test
    void detachPrintsTheRunIdAndTheSameDirectoryIsTheSameUpload() {
        String name = "cli-detach-" + UUID.randomUUID();
        Result first = cli(GatewayIdentities.EDITOR_TOKEN, "run", project.toString(), "-b", "local", "--detach",
                "--experiment-name", name, "-P", "greeting=first");
        Result second = cli(GatewayIdentities.EDITOR_TOKEN, "run", project.toString(), "-b", "local", "--detach",
                "--experiment-name", name, "-P", "greeting=second");
        assertEquals(0, first.exitCode(), first.toString());
        assertEquals(0, second.exitCode(), second.toString());
        String firstId = first.out().strip();
        String secondId = second.out().strip();
        assertEquals(firstId, runId(first), "stdout holds the id alone");
        assertEquals(projectRun(firstId).path("project_uri"), projectRun(secondId).path("project_uri"),
                "the same content, the same archive");

        Result followed = cli(GatewayIdentities.EDITOR_TOKEN, "logs", "-f", secondId);
        assertEquals(0, followed.exitCode(), followed.toString());
        assertTrue(followed.out().contains("the project says second"), followed.toString());
        awaitStatus(firstId, "FINISHED");
        awaitStatus(secondId, "FINISHED");
        Result tail = cli(GatewayIdentities.EDITOR_TOKEN, "logs", firstId, "--tail", "1");
        assertEquals(0, tail.exitCode(), tail.toString());
        assertEquals(1, tail.out().lines().count(), tail.toString());
        assertTrue(tail.out().contains("the project says first"), tail.toString());

        String experimentId = projectRun(firstId).path("experiment_id").asText();
        Result listed = cli(GatewayIdentities.EDITOR_TOKEN, "runs", "--experiment-id", experimentId);
        assertEquals(0, listed.exitCode(), listed.toString());
        List<String> lines = listed.out().lines().toList();
        assertEquals(3, lines.size(), listed.toString());
        assertTrue(lines.get(0).startsWith("RUN ID"), listed.toString());
        assertTrue(lines.get(1).startsWith(secondId) && lines.get(1).contains("FINISHED"), "newest first: " + listed);
        assertTrue(lines.get(2).startsWith(firstId), listed.toString());
        Result one = cli(GatewayIdentities.EDITOR_TOKEN, "runs", "--experiment-id", experimentId, "--max-results", "1");
        assertEquals(2, one.out().lines().count(), one.toString());
    }

    @Test
    void ctrlCCancelsTheRunOnTheServer() throws Exception {
        Path out = Files.createTempFile(workingDirectory, "interrupted", ".out");
        Path err = Files.createTempFile(workingDirectory, "interrupted", ".err");
        Process cli = command(GatewayIdentities.EDITOR_TOKEN, List.of("run", project.toString(), "-e", "wait",
                "-b", "local", "--experiment-name", "cli-cancel-" + UUID.randomUUID()))
                .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        try {
            String runId = null;
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            while (System.nanoTime() < deadline && cli.isAlive()) {
                Matcher submitted = SUBMITTED.matcher(Files.readString(err));
                if (runId == null && submitted.find()) {
                    runId = submitted.group(1);
                }
                if (runId != null && status(runId).equals("RUNNING") && !sleepers().isEmpty()) {
                    break;
                }
                Thread.sleep(200);
            }
            assertTrue(runId != null && cli.isAlive() && !sleepers().isEmpty(),
                    "the run never started: " + Files.readString(err));

            Process kill = new ProcessBuilder("kill", "-INT", String.valueOf(cli.pid())).inheritIO().start();
            assertEquals(0, kill.waitFor());
            assertTrue(cli.waitFor(90, TimeUnit.SECONDS), "SIGINT did not end the client; its ignored signals: "
                    + ignoredSignals(cli.pid()));
            String said = Files.readString(err);
            assertEquals(130, cli.exitValue(), said);
            assertTrue(said.contains("Interrupted: cancelling run " + runId), said);
            assertTrue(said.contains("run " + runId + " KILLED"), said);
            assertEquals("KILLED", status(runId));
            assertEquals(List.of(), sleepers(), "cancel stops the process on the server");
        } finally {
            cli.destroyForcibly();
        }
    }

    @Test
    void cancelStopsARunStartedWithDetach() {
        Result started = cli(GatewayIdentities.EDITOR_TOKEN, "run", project.toString(), "-e", "wait", "-b", "local",
                "--detach");
        assertEquals(0, started.exitCode(), started.toString());
        String runId = started.out().strip();
        awaitStatus(runId, "RUNNING");

        Result cancelled = cli(GatewayIdentities.EDITOR_TOKEN, "cancel", runId);
        assertEquals(0, cancelled.exitCode(), cancelled.toString());
        assertTrue(cancelled.out().startsWith("Run " + runId + ": "), cancelled.toString());
        awaitStatus(runId, "KILLED");
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!sleepers().isEmpty() && System.nanoTime() < deadline) {
            pause();
        }
        assertEquals(List.of(), sleepers(), "cancel stops the process on the server");
    }

    @Test
    void refusalsAreTheServersErrorsWithExitCodeOne() {
        Result unknown = cli(GatewayIdentities.EDITOR_TOKEN, "cancel", "0123456789abcdef0123456789abcdef");
        assertEquals(1, unknown.exitCode(), unknown.toString());
        assertTrue(unknown.err().startsWith("RESOURCE_DOES_NOT_EXIST: "), unknown.toString());

        Result reader = cli(GatewayIdentities.READER_TOKEN, "run", project.toString(), "-b", "local");
        assertEquals(1, reader.exitCode(), reader.toString());
        assertTrue(reader.err().contains("PERMISSION_DENIED: "), "a reader may not upload or submit: " + reader);

        Result anonymous = cli(null, "runs");
        assertEquals(1, anonymous.exitCode(), anonymous.toString());
        assertTrue(anonymous.err().contains("set MLFLOW_TRACKING_TOKEN"), anonymous.toString());

        Result wrong = cli(GatewayIdentities.EDITOR_TOKEN, "run", project.toString(), "--entry", "main");
        assertEquals(2, wrong.exitCode(), wrong.toString());
        assertTrue(wrong.err().startsWith("quarkflow: No such option: --entry"), wrong.toString());
    }

    private Result cli(String token, String... args) {
        return new QuarkflowCli(suite.gateway(), workingDirectory, TIMEOUT).run(token, args);
    }

    private ProcessBuilder command(String token, List<String> args) {
        return new QuarkflowCli(suite.gateway(), workingDirectory, TIMEOUT).command(token, args);
    }

    private static String runId(Result result) {
        Matcher submitted = SUBMITTED.matcher(result.err());
        assertTrue(submitted.find(), "the client names the run it submitted: " + result);
        return submitted.group(1);
    }

    private JsonNode projectRun(String runId) {
        return GatewayHttp.json(http.get(API + "get?run_id=" + runId)).path("run");
    }

    private String status(String runId) {
        return projectRun(runId).path("status").asText();
    }

    private void awaitStatus(String runId, String wanted) {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        String now = status(runId);
        while (!now.equals(wanted) && System.nanoTime() < deadline) {
            assertFalse(!now.equals(wanted) && List.of("FINISHED", "FAILED", "KILLED").contains(now),
                    "run " + runId + " ended " + now + " instead of " + wanted);
            pause();
            now = status(runId);
        }
        assertEquals(wanted, now, "run " + runId);
    }

    private static void pause() {
        try {
            Thread.sleep(200);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static List<ProcessHandle> sleepers() {
        List<ProcessHandle> found = new ArrayList<>();
        ProcessHandle.allProcesses().filter(p -> p.info().commandLine().orElse("").contains(SLEEP))
                .forEach(found::add);
        return found;
    }

    /** The SigIgn line of /proc/<pid>/status: a JVM started with SIGINT ignored keeps ignoring it. */
    private static String ignoredSignals(long pid) {
        try {
            return Files.readAllLines(Path.of("/proc", String.valueOf(pid), "status")).stream()
                    .filter(line -> line.startsWith("SigIgn")).findFirst().orElse("?");
        } catch (IOException e) {
            return "? (" + e.getMessage() + ")";
        }
    }
}
