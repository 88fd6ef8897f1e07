package io.quarkflow.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkflow.e2e.QuarkflowCli.Result;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.mlflow.api.proto.Service.Metric;
import org.mlflow.api.proto.Service.Run;
import org.mlflow.tracking.MlflowClient;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code ./quarkflow workflow run}: the worked example of examples/multistep from a fresh clone (generate → train,
 * which logs a model with MLflow → evaluate), run by the server's local backend with the MLflow client's Python, and
 * Ctrl-C on a followed workflow.
 */
@EndToEnd
class ExampleWorkflowTest {

    private static final Duration TIMEOUT = Duration.ofMinutes(5);
    private static final Pattern SUBMITTED = Pattern.compile("Workflow ([0-9a-f]{32}) \\(");
    /** A sleep no other process of this machine runs. */
    private static final String SLEEP = "sleep 3323";

    private static Path workingDirectory;

    private final GatewayHttp http;
    private final MlflowClient client;
    private final QuarkflowCli cli;

    ExampleWorkflowTest(QuarkflowSuite suite) {
        http = GatewayHttp.bearer(suite.gateway(), GatewayIdentities.EDITOR_TOKEN);
        client = suite.editorClient();
        cli = new QuarkflowCli(suite.gateway(), workingDirectory, TIMEOUT);
    }

    @BeforeAll
    static void workingDirectory() throws IOException {
        workingDirectory = Files.createTempDirectory("e2e-workflow-cli");
    }

    @Test
    @Timeout(value = 12, unit = TimeUnit.MINUTES) // three Python steps, twice
    void theMultistepExampleRunsAndAFailingGateFailsItReusingWhatFinished() throws Exception {
        requireMlflowForTheSteps();
        Path example = Path.of(System.getProperty("user.dir")).getParent().resolve("examples/multistep/workflow.yaml");
        String experiment = "multistep-" + UUID.randomUUID();

        Result done = cli.run(GatewayIdentities.EDITOR_TOKEN, "workflow", "run", example.toString(),
                "--experiment-name", experiment, "-P", "alpha=0.2");
        assertEquals(0, done.exitCode(), done.toString());
        assertTrue(done.out().contains("step evaluate: FINISHED"), done.toString());
        JsonNode finished = workflow(workflowId(done));
        Run train = client.getRun(step(finished, "train").path("run_id").asText());
        Run evaluate = client.getRun(step(finished, "evaluate").path("run_id").asText());
        assertEquals("0.2", params(train).get("alpha"), "the workflow parameter reached the step");
        assertEquals("runs:/" + train.getInfo().getRunId() + "/model", params(evaluate).get("model_uri"));
        assertTrue(metric(evaluate, "test_r2") > 0.9, "the model evaluate loaded is train's: " + evaluate);
        assertEquals("FINISHED", client.getRun(workflowId(done)).getInfo().getStatus().name());

        Result gated = cli.run(GatewayIdentities.EDITOR_TOKEN, "workflow", "run", example.toString(),
                "--experiment-name", experiment, "-P", "alpha=0.2", "-P", "min_r2=0.999");
        assertEquals(1, gated.exitCode(), gated.toString());
        JsonNode failed = workflow(workflowId(gated));
        assertEquals("FAILED", failed.at("/workflow/status").asText());
        for (String reused : List.of("generate", "train")) {
            assertTrue(step(failed, reused).path("reused").asBoolean(), "same archive, same parameters: " + failed);
            assertEquals(step(finished, reused).path("run_id").asText(), step(failed, reused).path("run_id").asText());
        }
        assertEquals("FAILED", step(failed, "evaluate").path("status").asText());
        // The script failed its run itself (sys.exit in MLflow's start_run), so the run ended before its process
        // did: the reason, the process's exit code and output, follows.
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (step(failed, "evaluate").path("failure_reason").isMissingNode() && System.nanoTime() < deadline) {
            Thread.sleep(200);
            failed = workflow(workflowId(gated));
        }
        assertTrue(step(failed, "evaluate").path("failure_reason").asText().contains("is below min_r2 0.999"),
                failed.toString());
    }

    @Test
    void ctrlCCancelsTheFollowedWorkflow() throws Exception {
        Path project = Files.createDirectories(workingDirectory.resolve("waiting"));
        Files.writeString(project.resolve("MLproject"), """
                name: waiting
                entry_points:
                  wait:
                    command: "%s"
                  after:
                    command: "echo never"
                """.formatted(SLEEP));
        Files.writeString(project.resolve("workflow.yaml"), """
                name: interrupted
                uri: .
                backend: local
                reuse: false
                steps:
                  - {name: long, entry_point: wait}
                  - {name: next, entry_point: after, depends_on: [long]}
                """);
        Path err = Files.createTempFile(workingDirectory, "workflow", ".err");
        Process followed = cli.command(GatewayIdentities.EDITOR_TOKEN, List.of("workflow", "run",
                        project.resolve("workflow.yaml").toString()))
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(err.toFile()).start();
        try {
            String workflowId = null;
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            while (System.nanoTime() < deadline && followed.isAlive()) {
                Matcher submitted = SUBMITTED.matcher(Files.readString(err));
                if (workflowId == null && submitted.find()) {
                    workflowId = submitted.group(1);
                }
                if (workflowId != null && !ProjectsTest.processes(SLEEP).isEmpty()) {
                    break;
                }
                Thread.sleep(200);
            }
            assertTrue(workflowId != null && followed.isAlive() && !ProjectsTest.processes(SLEEP).isEmpty(),
                    "the first step never started: " + Files.readString(err));

            assertEquals(0, new ProcessBuilder("kill", "-INT", String.valueOf(followed.pid())).start().waitFor());
            assertTrue(followed.waitFor(90, TimeUnit.SECONDS), "SIGINT did not end the client");
            assertEquals(130, followed.exitValue(), Files.readString(err));
            JsonNode cancelled = workflow(workflowId);
            assertEquals("KILLED", cancelled.at("/workflow/status").asText(), cancelled.toString());
            assertEquals("KILLED", step(cancelled, "long").path("status").asText());
            assertEquals("SKIPPED", step(cancelled, "next").path("status").asText());
            assertEquals(List.of(), ProjectsTest.processes(SLEEP), "the step's process is gone");
        } finally {
            followed.destroyForcibly();
        }
    }

    /** The launcher runs the steps with the MLflow client's Python first on its PATH (QuarkflowSuite). */
    private static void requireMlflowForTheSteps() throws Exception {
        PythonClient.required(PythonClient.Line.MLFLOW_3);
    }

    private static String workflowId(Result result) {
        Matcher submitted = SUBMITTED.matcher(result.err());
        assertTrue(submitted.find(), "the client names the workflow it submitted: " + result);
        return submitted.group(1);
    }

    private JsonNode workflow(String workflowId) {
        return GatewayHttp.json(http.get("/api/2.0/quarkflow/workflows/get?workflow_id=" + workflowId));
    }

    private static JsonNode step(JsonNode workflow, String name) {
        for (JsonNode step : workflow.at("/workflow/steps")) {
            if (step.path("name").asText().equals(name)) {
                return step;
            }
        }
        throw new AssertionError("no step " + name + " in " + workflow);
    }

    private static Map<String, String> params(Run run) {
        Map<String, String> params = new HashMap<>();
        run.getData().getParamsList().forEach(p -> params.put(p.getKey(), p.getValue()));
        return params;
    }

    private static double metric(Run run, String key) {
        return run.getData().getMetricsList().stream().filter(m -> m.getKey().equals(key)).map(Metric::getValue)
                .findFirst().orElseThrow(() -> new AssertionError("no metric " + key + " in " + run));
    }
}
