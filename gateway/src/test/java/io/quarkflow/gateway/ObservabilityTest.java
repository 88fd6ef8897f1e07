package io.quarkflow.gateway;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.net.URL;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.jboss.logmanager.ExtLogRecord;
import org.junit.jupiter.api.Test;

/**
 * What operators see of the gateway: request metrics on the management port named by route (never by a request's
 * own path), the request id in the MDC of an exchange's log lines, and a client's trace context passed on to the
 * service (tracing off, the default: as it came).
 */
@QuarkusTest
class ObservabilityTest {

    @TestHTTPResource(value = "/metrics", management = true) // under the management root, /q
    URL metrics;

    @Test
    void requestMetricsAreOnTheManagementPortNamedByRouteNotByPath() {
        String file = "unique-" + System.nanoTime() + ".bin";
        given().auth().oauth2(FakeServices.EDIT_TOKEN).get("/api/2.0/mlflow-artifacts/artifacts/1/r/" + file)
                .then().statusCode(200);
        given().auth().oauth2(FakeServices.EDIT_TOKEN).get("/ajax-api/2.0/mlflow/logged-models/m-" + System.nanoTime()
                + "/artifacts/files?artifact_file_path=a").then().statusCode(200);
        given().get("/scanner/probe-" + System.nanoTime()).then().statusCode(401);

        String scraped = given().get(metrics).then().statusCode(200).extract().asString();
        assertTrue(scraped.contains("uri=\"/api/2.0/mlflow-artifacts/{path}\""), scraped);
        assertTrue(scraped.contains("uri=\"/ajax-api/2.0/mlflow/logged-models/{model_id}/artifacts/files\""), scraped);
        assertTrue(scraped.contains("uri=\"/{unrouted}\""), scraped);
        assertFalse(scraped.contains(file) || scraped.contains("scanner"), "no request's own path becomes a series");
        // The public port has no anonymous route: the metrics are not there.
        given().get("/q/metrics").then().statusCode(401);
    }

    @Test
    void theLogLinesOfAnExchangeCarryItsRequestIdInTheMdc() {
        Logger access = Logger.getLogger("io.quarkflow.gateway.access");
        Map<String, String> mdcByLine = new ConcurrentHashMap<>();
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord record) {
                ExtLogRecord line = (ExtLogRecord) record;
                String id = line.getMdc(Gateway.REQUEST_ID_MDC);
                mdcByLine.put(line.getFormattedMessage().split(" ")[0], id == null ? "none" : id);
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        Level before = access.getLevel();
        access.setLevel(Level.INFO);
        access.addHandler(capture);
        try {
            // Logged when the answer ends, after the round trip to the service.
            given().auth().oauth2(FakeServices.EDIT_TOKEN).header("X-Request-Id", "mdc-1")
                    .get("/api/2.0/mlflow/experiments/get?experiment_id=0").then().statusCode(200);
            Response generated = given().auth().oauth2(FakeServices.EDIT_TOKEN)
                    .get("/api/2.0/mlflow/experiments/get?experiment_id=0");
            String id = generated.header("X-Request-Id");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (mdcByLine.size() < 2 && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            assertEquals("mdc-1", mdcByLine.get("mdc-1"));
            assertEquals(id, mdcByLine.get(id), "a generated id, and not the previous request's");
        } finally {
            access.removeHandler(capture);
            access.setLevel(before);
        }
    }

    @Test
    void withTracingOffAClientsTraceContextReachesTheServiceAsItCame() {
        String traceParent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
        String received = given().auth().oauth2(FakeServices.EDIT_TOKEN).header("traceparent", traceParent)
                .get("/api/2.0/mlflow/experiments/get?experiment_id=0").then().statusCode(200)
                .extract().path("traceparent");
        assertEquals(traceParent, received);
    }
}
