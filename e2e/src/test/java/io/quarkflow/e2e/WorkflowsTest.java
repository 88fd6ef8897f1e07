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
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Workflows of project runs, end to end through the authenticating gateway: projects-service starts each step when
 * the run.terminated event of its last dependency arrives, with parameters resolved from the earlier steps' runs;
 * the launcher runs the steps as local processes from a Git repository this test makes.
 */
@EndToEnd
class WorkflowsTest {

    private static final String API = "/api/2.0/quarkflow/workflows/";
    private static final Duration TIMEOUT = Duration.ofSeconds(120);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** A sleep no other process of this machine runs, to tell whether the cancelled one is gone. */
    private static final String SLEEP = "sleep 3301";
    private static final String MLPROJECT = """
            name: e2e-workflow
            entry_points:
              produce:
                parameters:
                  value: {type: string, default: plain}
                command: "sh produce.sh {value}"
              consume:
                parameters:
                  upstream_run: string
                  upstream_value: string
                  upstream_score: string
                  upstream_tag: string
                  upstream_artifacts: string
                command: "sh consume.sh {upstream_run} {upstream_value} {upstream_score} {upstream_tag} {upstream_artifacts}"
              nap:
                parameters:
                  seconds: {type: float, default: 1}
                command: "sleep {seconds}"
              fail:
                command: "echo failing on purpose; exit 3"
              wait:
                command: "%s"
            """.formatted(SLEEP);
    /** Logs a param, a metric and a tag for later steps to refer to. */
    private static final String PRODUCE_SH = """
            set -eu
            auth="Authorization: Bearer $MLFLOW_TRACKING_TOKEN"
            curl -sf -H "$auth" -H 'Content-Type: application/json' "$MLFLOW_TRACKING_URI/api/2.0/mlflow/runs/log-batch" \\
                -d "{\\"run_id\\": \\"$MLFLOW_RUN_ID\\", \\"params\\": [{\\"key\\": \\"produced\\", \\"value\\": \\"$1\\"}], \\
                \\"metrics\\": [{\\"key\\": \\"score\\", \\"value\\": 0.75, \\"timestamp\\": 1700000000000, \\"step\\": 0}], \\
                \\"tags\\": [{\\"key\\": \\"quality\\", \\"value\\": \\"good\\"}]}"
            echo produced $1
            """;
    /** Logs what it was given, so that the test sees how the references resolved. */
    private static final String CONSUME_SH = """
            set -eu
            auth="Authorization: Bearer $MLFLOW_TRACKING_TOKEN"
            curl -sf -H "$auth" -H 'Content-Type: application/json' "$MLFLOW_TRACKING_URI/api/2.0/mlflow/runs/set-tag" \\
                -d "{\\"run_id\\": \\"$MLFLOW_RUN_ID\\", \\"key\\": \\"consumed\\", \\"value\\": \\"$1 $2 $3 $4 $5\\"}"
            """;

    private static Path repository;

    private final QuarkflowSuite suite;
    private final GatewayHttp http;
    private final MlflowClient client;

    WorkflowsTest(QuarkflowSuite suite) {
        this.suite = suite;
        http = GatewayHttp.bearer(suite.gateway(), GatewayIdentities.EDITOR_TOKEN);
        client = suite.editorClient();
    }

    @BeforeAll
    static void repository() throws IOException {
        repository = Files.createTempDirectory("e2e-workflow");
        Files.writeString(repository.resolve("MLproject"), MLPROJECT);
        Files.writeString(repository.resolve("produce.sh"), PRODUCE_SH);
        Files.writeString(repository.resolve("consume.sh"), CONSUME_SH);
        ProjectsTest.git(repository, "init", "-q", "-b", "main");
        ProjectsTest.git(repository, "add", ".");
        ProjectsTest.git(repository, "-c", "user.name=e2e", "-c", "user.email=e2e@example.com", "commit", "-q", "-m",
                "workflow project");
    }

    @Test
    void aStepStartsWhenItsDependencyEndedWithThatRunsOutputs() {
        String experiment = "workflow-" + UUID.randomUUID();
        Map<String, Object> workflow = workflow(Map.of("value", "${parameters.word}"), Map.of("word", "default"));
        JsonNode submitted = submit(Map.of("workflow", workflow, "experiment_name", experiment,
                "parameters", Map.of("word", "given")));
        String workflowId = submitted.at("/workflow/workflow_id").asText();
        assertEquals("RUNNING", submitted.at("/workflow/status").asText());
        assertEquals("STARTING", step(submitted, "produce").path("status").asText(), submitted.toString());
        assertEquals("PENDING", step(submitted, "consume").path("status").asText());

        JsonNode ended = awaitWorkflow(workflowId, "FINISHED");
        JsonNode produce = step(ended, "produce");
        JsonNode consume = step(ended, "consume");
        assertEquals("FINISHED", produce.path("status").asText());
        assertEquals("FINISHED", consume.path("status").asText());
        assertFalse(produce.path("reused").asBoolean());

        String produceRun = produce.path("run_id").asText();
        Run upstream = client.getRun(produceRun);
        Run downstream = client.getRun(consume.path("run_id").asText());
        assertEquals(produceRun + " given 0.75 good " + upstream.getInfo().getArtifactUri(),
                tags(downstream).get("consumed"), "every kind of reference resolved from the earlier run");
        assertEquals(workflowId, tags(upstream).get("mlflow.parentRunId"), "steps are nested under the workflow");
        assertEquals(workflowId, tags(downstream).get("mlflow.parentRunId"));
        assertEquals("consume", tags(downstream).get("quarkflow.workflow.step"));
        assertEquals("consume", downstream.getInfo().getRunName());

        Run parent = client.getRun(workflowId);
        assertEquals("FINISHED", parent.getInfo().getStatus().name());
        assertEquals("given", parent.getData().getParams(0).getValue(), "the workflow's parameters on its run");
        assertEquals(upstream.getInfo().getExperimentId(), parent.getInfo().getExperimentId());
        assertTrue(parent.getInfo().getEndTime() >= downstream.getInfo().getEndTime(), "it ends after its steps");
    }

    @Test
    void finishedStepsWithTheSameVersionAndParametersAreReused() {
        String experiment = "workflow-reuse-" + UUID.randomUUID();
        Map<String, Object> workflow = workflow(Map.of("value", "again"), Map.of());
        JsonNode first = awaitWorkflow(submit(Map.of("workflow", workflow, "experiment_name", experiment))
                .at("/workflow/workflow_id").asText(), "FINISHED");

        JsonNode second = awaitWorkflow(submit(Map.of("workflow", workflow, "experiment_name", experiment))
                .at("/workflow/workflow_id").asText(), "FINISHED");
        for (String step : List.of("produce", "consume")) {
            assertTrue(step(second, step).path("reused").asBoolean(), second.toString());
            assertEquals(step(first, step).path("run_id").asText(), step(second, step).path("run_id").asText());
        }

        Map<String, Object> changed = workflow(Map.of("value", "different"), Map.of());
        JsonNode third = awaitWorkflow(submit(Map.of("workflow", changed, "experiment_name", experiment))
                .at("/workflow/workflow_id").asText(), "FINISHED");
        assertFalse(step(third, "produce").path("reused").asBoolean(), "other parameters run anew");
        assertNotEquals(step(first, "produce").path("run_id").asText(), step(third, "produce").path("run_id").asText());

        Map<String, Object> fresh = new HashMap<>(workflow);
        fresh.put("reuse", false);
        JsonNode fourth = awaitWorkflow(submit(Map.of("workflow", fresh, "experiment_name", experiment))
                .at("/workflow/workflow_id").asText(), "FINISHED");
        assertFalse(step(fourth, "produce").path("reused").asBoolean(), "reuse: false runs every step");
    }

    @Test
    void aFailedStepFailsTheWorkflowAndSkipsWhatDependsOnIt() {
        Map<String, Object> workflow = Map.of("name", "failing", "uri", repository.toString(), "backend", "local",
                "steps", List.of(
                        Map.of("name", "broken", "entry_point", "fail"),
                        Map.of("name", "after", "entry_point", "nap", "depends_on", List.of("broken")),
                        Map.of("name", "beside", "entry_point", "produce")));
        String workflowId = submit(Map.of("workflow", workflow)).at("/workflow/workflow_id").asText();
        JsonNode ended = awaitWorkflow(workflowId, "FAILED");
        assertEquals("FAILED", step(ended, "broken").path("status").asText());
        assertTrue(step(ended, "broken").path("failure_reason").asText().startsWith("exit code 3"), ended.toString());
        assertEquals("SKIPPED", step(ended, "after").path("status").asText());
        assertTrue(step(ended, "after").path("run_id").isMissingNode(), "a skipped step has no run");
        assertEquals("FINISHED", step(ended, "beside").path("status").asText(), "an independent step still runs");
        assertEquals("FAILED", client.getRun(workflowId).getInfo().getStatus().name());
    }

    @Test
    void aCancelledWorkflowStopsItsRunningStepsAndSkipsTheRest() throws InterruptedException {
        Map<String, Object> workflow = Map.of("name", "cancelled", "uri", repository.toString(), "backend", "local",
                "steps", List.of(
                        Map.of("name", "long", "entry_point", "wait"),
                        Map.of("name", "next", "entry_point", "nap", "depends_on", List.of("long"))));
        String workflowId = submit(Map.of("workflow", workflow)).at("/workflow/workflow_id").asText();
        awaitStep(workflowId, "long", "RUNNING");
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (ProjectsTest.processes(SLEEP).isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertFalse(ProjectsTest.processes(SLEEP).isEmpty(), "the step's process started");

        HttpResponse<String> cancelled = http.postJson(API + "cancel", "{\"workflow_id\": \"" + workflowId + "\"}");
        assertEquals(200, cancelled.statusCode(), cancelled.body());
        JsonNode ended = awaitWorkflow(workflowId, "KILLED");
        assertEquals("KILLED", step(ended, "long").path("status").asText());
        assertEquals("SKIPPED", step(ended, "next").path("status").asText());
        assertEquals("KILLED", client.getRun(workflowId).getInfo().getStatus().name());
        assertEquals(List.of(), ProjectsTest.processes(SLEEP), "the step's process is gone");
    }

    /**
     * projects-service is down when the first step ends: its run.terminated event waits in Kafka, and the second
     * step starts once the service is back, exactly once.
     */
    @Test
    void aWorkflowGoesOnAfterARestartInTheMiddle() throws Exception {
        Map<String, Object> workflow = Map.of("name", "restarted", "uri", repository.toString(), "backend", "local",
                "steps", List.of(
                        Map.of("name", "first", "entry_point", "nap", "parameters", Map.of("seconds", "3")),
                        Map.of("name", "second", "entry_point", "produce", "depends_on", List.of("first"))));
        String workflowId = submit(Map.of("workflow", workflow)).at("/workflow/workflow_id").asText();
        String firstRun = awaitStep(workflowId, "first", "RUNNING").path("run_id").asText();

        suite.restart("projects-service", () -> awaitRun(firstRun, "FINISHED"));

        JsonNode ended = awaitWorkflow(workflowId, "FINISHED");
        String secondRun = step(ended, "second").path("run_id").asText();
        assertEquals("FINISHED", client.getRun(secondRun).getInfo().getStatus().name());
        String experimentId = client.getRun(workflowId).getInfo().getExperimentId();
        long seconds = client.searchRuns(List.of(experimentId),
                "tags.`mlflow.parentRunId` = '" + workflowId + "' and tags.`quarkflow.workflow.step` = 'second'")
                .size();
        assertEquals(1, seconds, "the second step ran once");
    }

    @Test
    void aWorkflowThatCannotRunIsRefusedAndCreatesNothing() {
        String experiment = "workflow-refused-" + UUID.randomUUID();
        Map<String, String> refusals = Map.of(
                "{\"name\": \"w\", \"uri\": \"%s\", \"steps\": [{\"name\": \"a\", \"depends_on\": [\"b\"]}, {\"name\": \"b\"}]}",
                "Step 'a' depends on 'b', which is not a step declared before it.",
                "{\"name\": \"w\", \"uri\": \"%s\", \"steps\": [{\"name\": \"a\", \"parameters\": {\"x\": \"${steps.b.run_id}\"}}, {\"name\": \"b\"}]}",
                "Step 'a' refers to ${steps.b.run_id}, a step it does not depend on.",
                "{\"name\": \"w\", \"uri\": \"%s\", \"steps\": [{\"name\": \"a\", \"parameters\": {\"x\": \"${steps.a.size}\"}}]}",
                "Invalid reference '${steps.a.size}' in '${steps.a.size}'",
                "{\"name\": \"w\", \"uri\": \"%s\", \"steps\": [{\"name\": \"a\", \"parameters\": {\"x\": \"${parameters.y}\"}}]}",
                "Step 'a' refers to ${parameters.y}, which the workflow does not declare.",
                "{\"name\": \"w\", \"uri\": \"%s\", \"steps\": [{\"name\": \"a\"}, {\"name\": \"a\"}]}",
                "Two steps are named 'a'.",
                "{\"name\": \"w\", \"uri\": \"%s\", \"steps\": []}",
                "A workflow needs at least one step.");
        refusals.forEach((template, message) -> {
            String body = "{\"experiment_name\": \"" + experiment + "\", \"workflow\": "
                    + template.formatted(repository) + "}";
            HttpResponse<String> refused = http.postJson(API + "submit", body);
            assertEquals(400, refused.statusCode(), refused.body());
            JsonNode error = GatewayHttp.json(refused);
            assertEquals("INVALID_PARAMETER_VALUE", error.path("error_code").asText());
            assertTrue(error.path("message").asText().startsWith(message), error.toString());
        });
        assertEquals(null, client.getExperimentByName(experiment).orElse(null), "not even the experiment");

        HttpResponse<String> missing = http.get(API + "get?workflow_id=none");
        assertEquals(404, missing.statusCode());
        assertEquals("RESOURCE_DOES_NOT_EXIST", GatewayHttp.json(missing).path("error_code").asText());
        HttpResponse<String> reader = GatewayHttp.bearer(suite.gateway(), GatewayIdentities.READER_TOKEN)
                .postJson(API + "submit", "{}");
        assertEquals(403, reader.statusCode(), "submitting needs EDIT");
    }

    /** produce → consume, the second given every kind of reference to the first. */
    private static Map<String, Object> workflow(Map<String, String> produceParameters, Map<String, String> parameters) {
        return Map.of("name", "two-steps", "uri", repository.toString(), "backend", "local",
                "parameters", parameters,
                "steps", List.of(
                        Map.of("name", "produce", "entry_point", "produce", "parameters", produceParameters),
                        Map.of("name", "consume", "entry_point", "consume", "depends_on", List.of("produce"),
                                "parameters", Map.of(
                                        "upstream_run", "${steps.produce.run_id}",
                                        "upstream_value", "${steps.produce.params.produced}",
                                        "upstream_score", "${steps.produce.metrics.score}",
                                        "upstream_tag", "${steps.produce.tags.quality}",
                                        "upstream_artifacts", "${steps.produce.artifact_uri}"))));
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

    private static JsonNode step(JsonNode workflow, String name) {
        for (JsonNode step : workflow.at("/workflow/steps")) {
            if (step.path("name").asText().equals(name)) {
                return step;
            }
        }
        throw new AssertionError("no step " + name + " in " + workflow);
    }

    private static Map<String, String> tags(Run run) {
        Map<String, String> tags = new HashMap<>();
        run.getData().getTagsList().forEach(t -> tags.put(t.getKey(), t.getValue()));
        return tags;
    }

    private JsonNode awaitWorkflow(String workflowId, String status) {
        return await(() -> GatewayHttp.json(http.get(API + "get?workflow_id=" + workflowId)),
                workflow -> workflow.at("/workflow/status").asText(), status, "workflow " + workflowId);
    }

    private JsonNode awaitStep(String workflowId, String name, String status) {
        return await(() -> step(GatewayHttp.json(http.get(API + "get?workflow_id=" + workflowId)), name),
                step -> step.path("status").asText(), status, "step " + name + " of " + workflowId);
    }

    private void awaitRun(String runId, String status) {
        await(() -> JSON.valueToTree(Map.of("status", client.getRun(runId).getInfo().getStatus().name())),
                run -> run.path("status").asText(), status, "run " + runId);
    }

    /** Polls until {@code status} reads the wanted one; fails if it ends in another or takes too long. */
    private static JsonNode await(java.util.function.Supplier<JsonNode> read,
                                  java.util.function.Function<JsonNode, String> statusOf, String wanted, String what) {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        JsonNode last = null;
        while (System.nanoTime() < deadline) {
            last = read.get();
            String now = statusOf.apply(last);
            if (now.equals(wanted)) {
                return last;
            }
            if (List.of("FINISHED", "FAILED", "KILLED", "SKIPPED").contains(now)) {
                throw new AssertionError(what + " ended " + now + " instead of " + wanted + ": " + last);
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        throw new AssertionError(what + " is not " + wanted + " after " + TIMEOUT + ": " + last);
    }
}
