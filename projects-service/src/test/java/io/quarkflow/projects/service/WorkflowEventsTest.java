package io.quarkflow.projects.service;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkflow.events.ProjectRunCancel;
import io.quarkflow.projects.FakeTracking;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.quarkflow.projects.ProjectRunsSupport.await;
import static io.quarkflow.projects.ProjectRunsSupport.consumer;
import static io.quarkflow.projects.ProjectRunsSupport.gitRepository;
import static io.quarkflow.projects.ProjectRunsSupport.publish;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A workflow moved on by run events as Kafka delivers them, at least once: every event below arrives twice, and
 * still each step is submitted once and the workflow ends once.
 */
@QuarkusTest
class WorkflowEventsTest {

    private static final String API = "/api/2.0/quarkflow/workflows/";
    /** How long to wait for an event that must not come. */
    private static final Duration SETTLE = Duration.ofSeconds(3);
    private static final String MLPROJECT = """
            name: steps
            entry_points:
              main:
                parameters:
                  alpha: {type: float, default: 0.5}
                command: "echo {alpha}"
            """;

    private static Path repository;

    @BeforeAll
    static void project() {
        repository = gitRepository(Map.of("MLproject", MLPROJECT));
    }

    @Test
    void redeliveredEventsStartEachStepOnceAndEndTheWorkflowOnce() {
        try (KafkaConsumer<String, String> requests = consumer("quarkflow.project-runs")) {
            String experiment = "workflow-events-" + UUID.randomUUID();
            JsonNode submitted = submit(Map.of("experiment_name", experiment, "workflow", specOf(repository)));
            String workflowId = submitted.at("/workflow/workflow_id").asText();
            String a = awaitStep(workflowId, "a", "SCHEDULED").path("run_id").asText();
            assertEquals(1, await(requests, a, 2, e -> true, SETTLE).size(), "one request for a");
            assertEquals("PENDING", step(get(workflowId), "b").path("status").asText());

            terminate(a, "FINISHED");
            terminate(a, "FINISHED"); // delivered again
            JsonNode b = awaitStep(workflowId, "b", "SCHEDULED");
            String bRun = b.path("run_id").asText();
            assertEquals("0.255", b.at("/parameters/alpha").asText(), "resolved from a's run");
            assertEquals(1, await(requests, bRun, 2, e -> true, SETTLE).size(), "one request for b");
            assertEquals(1, FakeTracking.CALLS.stream().filter(call -> call.path().equals("runs/create")
                    && call.body().toString().contains("\"quarkflow.workflow.step\",\"value\":\"b\"")
                    && call.body().toString().contains(workflowId)).count(), "b's run was created once");

            terminate(bRun, "FINISHED");
            terminate(bRun, "FINISHED");
            awaitStatus(workflowId, "FINISHED");
            assertEquals(1, FakeTracking.callsAbout(workflowId).stream().filter(call -> call.path().equals("runs/update")
                    && call.body().path("status").asText().equals("FINISHED")).count(), "the parent run ended once");
            assertEquals("FINISHED", FakeTracking.RUNS.get(workflowId).at("/info/status").asText());

            // The same workflow again: both steps reuse the runs that finished, and nothing is requested.
            String again = submit(Map.of("experiment_name", experiment, "workflow", specOf(repository)))
                    .at("/workflow/workflow_id").asText();
            JsonNode reused = awaitStatus(again, "FINISHED");
            assertEquals(a, step(reused, "a").path("run_id").asText());
            assertEquals(bRun, step(reused, "b").path("run_id").asText());
            assertTrue(step(reused, "b").path("reused").asBoolean());
        }
    }

    @Test
    void killingTheParentRunByHandCancelsTheWorkflow() {
        try (KafkaConsumer<String, String> requests = consumer("quarkflow.project-runs")) {
            String workflowId = submit(Map.of("workflow", specOf(repository), "experiment_name",
                    "workflow-killed-" + UUID.randomUUID())).at("/workflow/workflow_id").asText();
            String a = awaitStep(workflowId, "a", "SCHEDULED").path("run_id").asText();

            terminate(workflowId, "KILLED"); // MlflowClient.set_terminated(parent, "KILLED")
            List<JsonNode> cancels = await(requests, a, 1,
                    event -> event.path("type").asText().equals(ProjectRunCancel.TYPE));
            assertEquals(1, cancels.size(), "the running step's run is cancelled");
            terminate(a, "KILLED"); // as the launcher reports it
            JsonNode ended = awaitStatus(workflowId, "KILLED");
            assertEquals("SKIPPED", step(ended, "b").path("status").asText());
        }
    }

    @Test
    void aStepWhoseReferenceHasNoValueFailsAndTheWorkflowWithIt() {
        String workflowId = submit(Map.of("workflow", Map.of("name", "missing", "uri", repository.toString(),
                "backend", "local", "steps", List.of(
                        Map.of("name", "a"),
                        Map.of("name", "b", "depends_on", List.of("a"),
                                "parameters", Map.of("alpha", "${steps.a.metrics.never_logged}"))))))
                .at("/workflow/workflow_id").asText();
        String a = awaitStep(workflowId, "a", "SCHEDULED").path("run_id").asText();
        terminate(a, "FINISHED");
        JsonNode ended = awaitStatus(workflowId, "FAILED");
        assertEquals("FAILED", step(ended, "b").path("status").asText());
        assertEquals("${steps.a.metrics.never_logged} has no value: run " + a + " has no metrics 'never_logged'.",
                step(ended, "b").path("failure_reason").asText());
    }

    @Test
    void listingPagesNewestFirst() {
        String experiment = "workflow-list-" + UUID.randomUUID();
        String first = submit(Map.of("experiment_name", experiment, "workflow", specOf(repository)))
                .at("/workflow/workflow_id").asText();
        String second = submit(Map.of("experiment_name", experiment, "workflow", specOf(repository)))
                .at("/workflow/workflow_id").asText();
        String experimentId = FakeTracking.RUNS.get(first).at("/info/experiment_id").asText();
        JsonNode page = given().get(API + "list?max_results=1&experiment_id=" + experimentId).then().statusCode(200)
                .extract().as(JsonNode.class);
        assertEquals(second, page.at("/workflows/0/workflow_id").asText());
        JsonNode next = given().get(API + "list?max_results=1&experiment_id=" + experimentId + "&page_token="
                + page.path("next_page_token").asText()).then().statusCode(200).extract().as(JsonNode.class);
        assertEquals(first, next.at("/workflows/0/workflow_id").asText());
        given().get(API + "list?max_results=0").then().statusCode(400);
    }

    private static Map<String, Object> specOf(Path repository) {
        return Map.of("name", "twice", "uri", repository.toString(), "backend", "local", "steps", List.of(
                Map.of("name", "a", "parameters", Map.of("alpha", "0.25")),
                Map.of("name", "b", "depends_on", List.of("a"), "parameters", Map.of("alpha",
                        "${steps.a.params.alpha}5"))));
    }

    /** What tracking-service publishes when a run ends: the status change, then run.terminated. */
    private static void terminate(String runId, String status) {
        FakeTracking.RUNS.get(runId).with("info").put("status", status);
        publish("quarkflow.run-events", runId, "{\"specversion\":\"1.0\",\"type\":\"io.quarkflow.run.status-changed\","
                + "\"data\":{\"run_id\":\"" + runId + "\",\"old_status\":\"RUNNING\",\"new_status\":\"" + status + "\"}}");
        publish("quarkflow.run-events", runId, "{\"specversion\":\"1.0\",\"type\":\"io.quarkflow.run.terminated\","
                + "\"data\":{\"run_id\":\"" + runId + "\",\"status\":\"" + status + "\"}}");
    }

    private static JsonNode submit(Map<String, Object> body) {
        return given().contentType(ContentType.JSON).body(body).post(API + "submit").then().statusCode(200)
                .extract().as(JsonNode.class);
    }

    private static JsonNode get(String workflowId) {
        return given().get(API + "get?workflow_id=" + workflowId).then().statusCode(200).extract().as(JsonNode.class);
    }

    private static JsonNode step(JsonNode workflow, String name) {
        for (JsonNode step : workflow.at("/workflow/steps")) {
            if (step.path("name").asText().equals(name)) {
                return step;
            }
        }
        throw new AssertionError("no step " + name + " in " + workflow);
    }

    private static JsonNode awaitStep(String workflowId, String name, String status) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        JsonNode workflow = get(workflowId);
        while (!step(workflow, name).path("status").asText().equals(status) && System.nanoTime() < deadline) {
            sleep();
            workflow = get(workflowId);
        }
        assertEquals(status, step(workflow, name).path("status").asText(), workflow.toString());
        return step(workflow, name);
    }

    private static JsonNode awaitStatus(String workflowId, String status) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        JsonNode workflow = get(workflowId);
        while (!workflow.at("/workflow/status").asText().equals(status) && System.nanoTime() < deadline) {
            sleep();
            workflow = get(workflowId);
        }
        assertEquals(status, workflow.at("/workflow/status").asText(), workflow.toString());
        return workflow;
    }

    private static void sleep() {
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
