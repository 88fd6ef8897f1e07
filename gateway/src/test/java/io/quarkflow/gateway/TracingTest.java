package io.quarkflow.gateway;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * With tracing on, the hand-written proxy carries the trace: the service is called in the client's trace, with the
 * gateway's own span as the parent, whether the client sent a trace context or not. No collector here: spans are
 * made and propagated, not exported.
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
    void theServiceIsCalledInTheClientsTraceUnderTheGatewaysSpan() {
        String received = forwardedTraceParent("00-" + TRACE_ID + "-" + CLIENT_SPAN + "-01");
        String[] parts = received.split("-");
        assertEquals(TRACE_ID, parts[1], received);
        assertNotEquals(CLIENT_SPAN, parts[2], "the gateway's span is the parent: " + received);
    }

    @Test
    void aRequestWithoutATraceStartsOne() {
        String received = forwardedTraceParent(null);
        assertTrue(received.matches("00-[0-9a-f]{32}-[0-9a-f]{16}-01"), received);
    }

    private static String forwardedTraceParent(String traceParent) {
        var request = given().auth().oauth2(FakeServices.EDIT_TOKEN);
        if (traceParent != null) {
            request = request.header("traceparent", traceParent);
        }
        return request.get("/api/2.0/mlflow/experiments/get?experiment_id=0").then().statusCode(200)
                .extract().path("traceparent");
    }
}
