package io.quarkflow.projects.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkflow.projects.FakeTracking;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.StreamSupport;

import static io.quarkflow.projects.ProjectRunsSupport.await;
import static io.quarkflow.projects.ProjectRunsSupport.consumer;
import static io.quarkflow.projects.ProjectRunsSupport.git;
import static io.quarkflow.projects.ProjectRunsSupport.gitRepository;
import static io.quarkflow.projects.ProjectRunsSupport.publish;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Submitting, reading, listing and cancelling project runs, with a real database and broker. */
@QuarkusTest
class ProjectRunApiTest {

    private static final String API = "/api/2.0/quarkflow/projects/runs/";
    /** How long to wait for an event that must not come. */
    private static final Duration SETTLE = Duration.ofSeconds(3);
    private static final String MLPROJECT = """
            name: tutorial
            docker_env:
              image: python:3.11-slim
            entry_points:
              main:
                parameters:
                  alpha: {type: float, default: 0.5}
                  name: string
                command: "python train.py --alpha {alpha} --name {name}"
            """;

    private static Path repository;
    private static String commit;

    @BeforeAll
    static void project() {
        repository = gitRepository(Map.of("MLproject", MLPROJECT, "train.py", "print('hi')\n"));
        commit = git(repository, "rev-parse", "HEAD");
    }

    @Test
    void aSubmissionCreatesTheScheduledRunAndPublishesOneRequest() {
        try (KafkaConsumer<String, String> requests = consumer("quarkflow.project-runs")) {
            String experiment = "projects-" + UUID.randomUUID();
            JsonNode run = submit(Map.of("uri", repository.toString(), "version", "main", "experiment_name", experiment,
                    "parameters", Map.of("name", "it's; rm -rf /"), "run_name", "first", "backend", "local"))
                    .statusCode(200)
                    .body("run.status", equalTo("SCHEDULED"))
                    .body("run.git_commit", equalTo(commit))
                    .body("run.entry_point", equalTo("main"))
                    .body("run.command", equalTo("python train.py --alpha 0.5 --name 'it'\"'\"'s; rm -rf /'"))
                    .extract().as(JsonNode.class).get("run");
            String runId = run.get("run_id").asText();

            Map<String, String> tags = tags(FakeTracking.RUNS.get(runId));
            assertEquals("PROJECT", tags.get("mlflow.source.type"));
            assertEquals(repository.toString(), tags.get("mlflow.source.name"));
            assertEquals("main", tags.get("mlflow.project.entryPoint"));
            assertEquals(commit, tags.get("mlflow.source.git.commit"));
            assertEquals("main", tags.get("mlflow.source.git.branch"));
            assertEquals("local", tags.get("mlflow.project.backend"));
            assertEquals("local", tags.get("quarkflow.project.backend"), "the backend that executes it, whatever "
                    + "MLflow's plugin mechanism later writes into mlflow.project.backend");
            assertEquals("docker", tags.get("mlflow.project.env"));
            assertEquals("python:3.11-slim", tags.get("mlflow.docker.image.name"));
            assertEquals("SCHEDULED", FakeTracking.RUNS.get(runId).get("info").get("status").asText());
            Map<String, String> params = new LinkedHashMap<>();
            FakeTracking.RUNS.get(runId).get("data").get("params")
                    .forEach(p -> params.put(p.get("key").asText(), p.get("value").asText()));
            // MLflow logs the parameters as they go into the command: quoted.
            assertEquals(Map.of("alpha", "0.5", "name", "'it'\"'\"'s; rm -rf /'"), params);

            List<JsonNode> published = await(requests, runId, 1, e -> true);
            assertEquals(1, published.size());
            JsonNode request = published.get(0);
            assertEquals("io.quarkflow.project-run.requested", request.get("type").asText());
            assertEquals("/quarkflow/projects-service", request.get("source").asText());
            JsonNode data = request.get("data");
            assertEquals(run.get("command").asText(), data.get("command").asText());
            assertEquals("git", data.at("/source/kind").asText());
            assertEquals(commit, data.at("/source/version").asText());
            assertEquals("docker", data.at("/environment/type").asText());
            assertEquals("python:3.11-slim", data.at("/environment/image").asText());
            assertEquals("tutorial", data.get("project_name").asText());
            assertEquals("local", data.get("backend").asText());
        }
    }

    @Test
    void whatMlflowRefusesCreatesNothing() {
        String uri = repository.toString();
        Map<Map<String, Object>, String> refused = new LinkedHashMap<>();
        refused.put(Map.of("backend", "local"), "Missing value for required parameter 'uri'");
        refused.put(Map.of("uri", uri, "backend", "local", "parameters", Map.of("name", "x", "alpha", "fast")), "alpha");
        refused.put(Map.of("uri", uri, "backend", "local"), "No value given for missing parameters: 'name'");
        refused.put(Map.of("uri", uri, "backend", "local", "entry_point", "nope", "parameters", Map.of("name", "x")),
                "nope");
        refused.put(Map.of("uri", uri, "backend", "local", "version", "--upload-pack=touch /tmp/owned"), "version");
        refused.put(Map.of("uri", uri, "backend", "local", "experiment_id", "0", "experiment_name", "x"),
                "Specify only one of 'experiment_name' or 'experiment_id'.");
        refused.put(Map.of("uri", uri, "backend", "kubernetes"), "A project directory can only run on the local backend.");
        refused.put(Map.of("uri", uri, "backend", "slurm"), "Unknown backend 'slurm'");
        refused.put(Map.of("uri", "file://" + uri, "backend", "local"), "file");
        refused.put(Map.of("uri", uri + "#../etc", "backend", "local"),
                "'.' is not allowed in project subdirectory paths.");
        // Archives are read through the artifact proxy only: the server fetches no URL a user names.
        refused.put(Map.of("uri", "https://internal.example/p.zip", "backend", "local"), "mlflow-artifacts:");
        for (Map.Entry<Map<String, Object>, String> each : refused.entrySet()) {
            long creates = FakeTracking.CALLS.stream().filter(c -> c.path().equals("runs/create")).count();
            String message = submit(each.getKey()).statusCode(400)
                    .body("error_code", equalTo("INVALID_PARAMETER_VALUE"))
                    .extract().path("message");
            assertTrue(message.contains(each.getValue()), each.getKey() + " answered " + message);
            assertEquals(creates, FakeTracking.CALLS.stream().filter(c -> c.path().equals("runs/create")).count(),
                    each.getKey() + " created a run");
        }
    }

    @Test
    void aRunIsCancelledOnceAndAnEndedRunNotAtAll() {
        try (KafkaConsumer<String, String> requests = consumer("quarkflow.project-runs")) {
            String runId = submitted();
            cancel(runId).statusCode(200).body("run.cancel_requested_at", notNullValue());
            cancel(runId).statusCode(200);
            List<JsonNode> cancels = await(requests, runId, 2,
                    e -> e.get("type").asText().equals("io.quarkflow.project-run.cancel-requested"), SETTLE);
            assertEquals(1, cancels.size(), "one cancel request however often it is asked for");
            assertEquals("local", cancels.get(0).at("/data/backend").asText());

            String ended = submitted();
            ((ObjectNode) FakeTracking.RUNS.get(ended).get("info"))
                    .put("status", "FINISHED");
            cancel(ended).statusCode(200).body("run.status", equalTo("FINISHED"));
            assertEquals(0, await(requests, ended, 1,
                    e -> e.get("type").asText().equals("io.quarkflow.project-run.cancel-requested"), SETTLE).size());
        }
    }

    @Test
    void aRunIsReadWithTrackingsStatusAndListedByTheRunEventsStatus() throws InterruptedException {
        String experiment = "listed-" + UUID.randomUUID();
        String first = submitted(experiment);
        String second = submitted(experiment);
        String third = submitted(experiment);
        ((ObjectNode) FakeTracking.RUNS.get(first).get("info"))
                .put("status", "RUNNING");
        ((ArrayNode) FakeTracking.RUNS.get(first).get("data").get("tags"))
                .addObject().put("key", "quarkflow.project.process").put("value", "4242");
        given().get(API + "get?run_id=" + first).then().statusCode(200)
                .body("run.status", equalTo("RUNNING"))
                .body("run.process", equalTo("4242"));

        String experimentId = FakeTracking.RUNS.get(first).get("info").get("experiment_id").asText();
        ValidatableResponse page = given().get(API + "list?experiment_id=" + experimentId + "&max_results=2")
                .then().statusCode(200).body("runs.run_id", equalTo(List.of(third, second)));
        String token = page.extract().path("next_page_token");
        given().get(API + "list?experiment_id=" + experimentId + "&max_results=2&page_token=" + token)
                .then().statusCode(200).body("runs.run_id", equalTo(List.of(first)))
                .body("next_page_token", nullValue());

        publish("quarkflow.run-events", second, "{\"specversion\":\"1.0\",\"type\":\"io.quarkflow.run.status-changed\","
                + "\"data\":{\"run_id\":\"" + second + "\",\"experiment_id\":\"" + experimentId + "\","
                + "\"old_status\":\"SCHEDULED\",\"new_status\":\"RUNNING\"}}");
        List<String> running = List.of();
        for (int i = 0; i < 100 && !running.contains(second); i++) {
            Thread.sleep(200);
            List<String> listed = given().get(API + "list?experiment_id=" + experimentId + "&status=RUNNING")
                    .then().statusCode(200).extract().path("runs.run_id");
            running = listed == null ? List.of() : listed; // an empty list is left out, as MLflow does
        }
        assertEquals(List.of(second), running);
    }

    @Test
    void unknownRunsAndAnUnreachableLauncherAnswerMlflowErrors() {
        given().get(API + "get?run_id=nope").then().statusCode(404)
                .body("error_code", equalTo("RESOURCE_DOES_NOT_EXIST"));
        cancel("nope").statusCode(404).body("error_code", equalTo("RESOURCE_DOES_NOT_EXIST"));
        given().get(API + "logs?run_id=nope").then().statusCode(404)
                .body("error_code", equalTo("RESOURCE_DOES_NOT_EXIST"));
        given().get(API + "logs?run_id=" + submitted()).then().statusCode(503)
                .body("error_code", equalTo("TEMPORARILY_UNAVAILABLE"));
        given().get(API + "list?max_results=0").then().statusCode(400)
                .body("error_code", equalTo("INVALID_PARAMETER_VALUE"));
    }

    private String submitted() {
        return submitted("submitted-" + UUID.randomUUID());
    }

    private String submitted(String experiment) {
        return submit(Map.of("uri", repository.toString(), "backend", "local", "experiment_name", experiment,
                "parameters", Map.of("name", "n"))).statusCode(200).extract().path("run.run_id");
    }

    private static ValidatableResponse submit(Map<String, Object> body) {
        return given().contentType(ContentType.JSON).body(new HashMap<>(body)).post(API + "submit").then();
    }

    private static ValidatableResponse cancel(String runId) {
        return given().contentType(ContentType.JSON).body(Map.of("run_id", runId)).post(API + "cancel").then();
    }

    private static Map<String, String> tags(JsonNode run) {
        Map<String, String> tags = new HashMap<>();
        StreamSupport.stream(run.get("data").get("tags").spliterator(), false)
                .forEach(tag -> tags.put(tag.get("key").asText(), tag.get("value").asText()));
        return tags;
    }
}
