package io.quarkflow.e2e;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.mlflow.tracking.MlflowClient;
import org.mlflow.tracking.MlflowHttpException;

import java.net.http.HttpResponse;
import java.util.List;
import java.util.UUID;

import static io.quarkflow.e2e.MlflowMessages.assertHttpError;
import static io.quarkflow.e2e.MlflowMessages.assertJsonError;
import static io.quarkflow.e2e.MlflowMessages.uniqueName;
import static io.quarkflow.e2e.MlflowMessages.unknownRunId;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What the gateway adds to every route: request ids, both API prefixes, upstream errors intact, health, version. */
@EndToEnd
class GatewayRoutingTest {

    private static final String REQUEST_ID = "X-Request-Id";

    private final MlflowClient client;
    private final GatewayHttp http;

    GatewayRoutingTest(QuarkflowSuite suite) {
        client = suite.editorClient();
        http = GatewayHttp.basic(suite.gateway(), GatewayIdentities.EDITOR, GatewayIdentities.EDITOR_PASSWORD);
    }

    @AfterEach
    void close() {
        client.close();
    }

    @Test
    void echoesTheClientsRequestIdOnEveryUpstream() {
        String experimentId = client.createExperiment(uniqueName("e2e-request-id"));
        for (String pathAndQuery : List.of(
                "/api/2.0/mlflow/experiments/get?experiment_id=" + experimentId,
                "/api/2.0/mlflow-artifacts/artifacts?path=" + experimentId)) {
            String requestId = "e2e-" + UUID.randomUUID();
            HttpResponse<String> response = http.send(http.request(pathAndQuery).header(REQUEST_ID, requestId).GET());
            assertEquals(200, response.statusCode(), response.body());
            assertEquals(requestId, response.headers().firstValue(REQUEST_ID).orElse(null), pathAndQuery);
        }
    }

    @Test
    void generatesARequestIdWhenTheClientSendsNone() {
        String defaultExperiment = "/api/2.0/mlflow/experiments/get?experiment_id=0";
        String first = http.get(defaultExperiment).headers().firstValue(REQUEST_ID).orElse("");
        String second = http.get(defaultExperiment).headers().firstValue(REQUEST_ID).orElse("");

        assertFalse(first.isBlank(), "a generated request id is echoed");
        assertNotEquals(first, second, "every request gets its own id");
    }

    @Test
    void passesTrackingErrorsThroughAsMlflowJson() {
        String runId = unknownRunId();

        HttpResponse<String> response = http.get("/api/2.0/mlflow/runs/get?run_id=" + runId);
        assertJsonError(404, "RESOURCE_DOES_NOT_EXIST", response);
        assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("application/json"),
                () -> "Content-Type " + response.headers().firstValue("Content-Type"));
        assertTrue(GatewayHttp.json(response).path("message").asText().contains(runId), response.body());
        MlflowHttpException e = assertHttpError(404, "RESOURCE_DOES_NOT_EXIST", () -> client.getRun(runId));
        assertTrue(e.getBodyMessage().contains(runId), e.getBodyMessage());
    }

    @Test
    void servesTheAjaxApiPrefixAsTheUiCallsIt() {
        String name = uniqueName("e2e-ajax");
        String experimentId = client.createExperiment(name);

        HttpResponse<String> experiment = http.get("/ajax-api/2.0/mlflow/experiments/get?experiment_id=" + experimentId);
        assertEquals(200, experiment.statusCode(), experiment.body());
        assertEquals(name, GatewayHttp.json(experiment).path("experiment").path("name").asText());
        HttpResponse<String> artifacts = http.get("/ajax-api/2.0/mlflow-artifacts/artifacts?path=" + experimentId);
        assertEquals(200, artifacts.statusCode(), artifacts.body());
        assertTrue(GatewayHttp.json(artifacts).path("files").isEmpty(), "a new experiment has no artifacts yet");
    }

    @Test
    void reportsHealthAndTheTrackingServiceVersion() {
        HttpResponse<String> health = http.get("/health");
        assertEquals(200, health.statusCode(), health.body());
        assertEquals("OK", health.body());

        HttpResponse<String> version = http.get("/version");
        assertEquals(200, version.statusCode(), version.body());
        assertEquals(System.getProperty("quarkflow.e2e.version"), version.body());
    }
}
