package io.quarkflow.projects.api;

import io.quarkflow.projects.FakeTracking;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static io.quarkflow.projects.ProjectRunsSupport.gitRepository;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What operators see of projects-service: submissions and published requests counted on /q/metrics, the request id
 * carried on to tracking-service, and the API description on /q/openapi.
 */
@QuarkusTest
class ObservabilityTest {

    private static final String SUBMITTED = "quarkflow_project_runs_submitted_total";
    private static final String PUBLISHED = "quarkflow_events_published_total";

    @Test
    void aSubmissionIsCountedItsRequestPublishedAndItsCallsToTrackingNameTheRequest() throws InterruptedException {
        Path repository = gitRepository(Map.of("MLproject",
                "name: p\nentry_points:\n  main:\n    command: \"true\"\n"));
        double submittedBefore = value(SUBMITTED, "backend=\"local\"");
        double publishedBefore = value(PUBLISHED, "topic=\"quarkflow.project-runs\"");

        String runId = given().header("X-Request-Id", "submit-obs-1").contentType(ContentType.JSON)
                .body(Map.of("uri", repository.toString(), "backend", "local",
                        "experiment_name", "observed-" + UUID.randomUUID()))
                .post("/api/2.0/quarkflow/projects/runs/submit").then().statusCode(200).extract().path("run.run_id");
        given().contentType(ContentType.JSON).body(Map.of("uri", "relative/dir", "backend", "local"))
                .post("/api/2.0/quarkflow/projects/runs/submit").then().statusCode(400);

        assertEquals(1, value(SUBMITTED, "backend=\"local\"") - submittedBefore);
        List<FakeTracking.Call> calls = FakeTracking.callsAbout(runId);
        assertFalse(calls.isEmpty());
        calls.forEach(call -> assertEquals("submit-obs-1", call.requestId(), call.path()));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (value(PUBLISHED, "topic=\"quarkflow.project-runs\"") < publishedBefore + 1) {
            assertTrue(System.nanoTime() < deadline, "the request was not counted as published");
            Thread.sleep(100);
        }
    }

    @Test
    void theApiDescriptionIsServed() {
        given().get("/q/openapi").then().statusCode(200)
                .body(containsString("/api/2.0/quarkflow/projects/runs/submit"))
                .body(containsString("/api/2.0/quarkflow/workflows/submit"));
    }

    private static double value(String name, String label) {
        String text = given().get("/q/metrics").then().statusCode(200).extract().asString();
        return text.lines()
                .filter(line -> line.startsWith(name + "{") && line.contains(label))
                .mapToDouble(ObservabilityTest::sampleValue)
                .sum();
    }

    /** A sample's value: the first token after its labels (an OpenMetrics exemplar and its timestamp may follow). */
    private static double sampleValue(String line) {
        int labelsEnd = line.indexOf('}');
        String rest = labelsEnd >= 0 ? line.substring(labelsEnd + 1) : line.substring(line.indexOf(' '));
        return Double.parseDouble(rest.trim().split(" ")[0]);
    }
}
