package io.quarkflow.tracking.api;

import io.quarkflow.tracking.api.RunEventsConsumer.Received;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;
import java.util.Set;

import static io.quarkflow.tracking.api.RunEventsConsumer.about;
import static io.quarkflow.tracking.api.TrackingApi.createExperiment;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * With tracing on, a trace crosses the outbox: the event a request wrote reaches Kafka in that request's trace, so a
 * consumer's span (the launcher's, projects-service's) joins the client's trace. No collector here: spans are made
 * and propagated, not exported.
 */
@QuarkusTest
@TestProfile(TracingTest.TracingOn.class)
class TracingTest {

    private static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";
    private static final String CLIENT_SPAN = "00f067aa0ba902b7";

    public static class TracingOn implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.otel.sdk.disabled", "false", "quarkus.otel.traces.exporter", "none");
        }
    }

    @Test
    void anEventIsPublishedInTheTraceOfTheRequestThatWroteIt() {
        try (RunEventsConsumer consumer = new RunEventsConsumer()) {
            String runId = given().header("traceparent", "00-" + TRACE_ID + "-" + CLIENT_SPAN + "-01")
                    .contentType(ContentType.JSON).body(Map.of("experiment_id", createExperiment()))
                    .post(TrackingApi.API + "runs/create").then().statusCode(200).extract().path("run.info.run_id");

            Received created = consumer.await(about(Set.of(runId)), 1, Duration.ofSeconds(30)).get(0);
            String traceParent = created.traceParent();
            assertNotNull(traceParent, "a traceparent header");
            String[] parts = traceParent.split("-");
            assertTrue(traceParent.matches("00-[0-9a-f]{32}-[0-9a-f]{16}-01"), traceParent);
            assertTrue(TRACE_ID.equals(parts[1]), "the client's trace: " + traceParent);
            assertNotEquals(CLIENT_SPAN, parts[2], "the publish span's own id, a descendant of the request's");
        }
    }
}
