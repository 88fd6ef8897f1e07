package io.quarkflow.tracking.client;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkflow.mlflow.errors.ErrorCode;
import io.quarkflow.mlflow.errors.MlflowException;
import io.quarkflow.tracking.client.TrackingMessages.CreateExperimentRequest;
import io.quarkflow.tracking.client.TrackingMessages.CreateRunRequest;
import io.quarkflow.tracking.client.TrackingMessages.Experiment;
import io.quarkflow.tracking.client.TrackingMessages.RunInfo;
import io.quarkflow.tracking.client.TrackingMessages.RunTag;
import io.quarkflow.tracking.client.TrackingMessages.SetTagRequest;
import io.quarkflow.tracking.client.TrackingMessages.UpdateRunRequest;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.junit.jupiter.api.Test;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The client against {@link FakeTrackingResource}, in an application whose ObjectMapper is Quarkus's default
 * (camelCase) and refuses unknown fields: the wire stays MLflow's all the same.
 */
@QuarkusTest
class TrackingClientTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final RunInfo RUN_INFO = new RunInfo("r1", "nightly", "7", "RUNNING", 1700000000000L,
            1700000060000L, "mlflow-artifacts:/7/r1/artifacts", "active");

    @Inject
    @RestClient
    TrackingClient tracking;

    @Test
    void createRunSendsMlflowsFieldNamesAndReadsTheRun() {
        var response = await(tracking.createRun(new CreateRunRequest("7", "nightly",
                List.of(new RunTag("mlflow.source.type", "PROJECT")), 1700000000000L)));

        assertSent("""
                {"experiment_id": "7", "run_name": "nightly", "start_time": 1700000000000,
                 "tags": [{"key": "mlflow.source.type", "value": "PROJECT"}]}""");
        assertEquals(RUN_INFO, response.run().info());
        assertEquals("test-internal-key-of-at-least-32-chars", FakeTrackingResource.lastInternalKey());
    }

    @Test
    void createRunLeavesUnsetFieldsOut() {
        await(tracking.createRun(new CreateRunRequest("7", null, null, null)));

        assertSent("{\"experiment_id\": \"7\"}");
    }

    @Test
    void updateRunSendsMlflowsFieldNamesAndReadsTheRunInfo() {
        var response = await(tracking.updateRun(new UpdateRunRequest("r1", "FINISHED", 1700000060000L)));

        assertSent("{\"run_id\": \"r1\", \"status\": \"FINISHED\", \"end_time\": 1700000060000}");
        assertEquals(RUN_INFO, response.runInfo());
    }

    @Test
    void getRunAsksByRunIdAndReadsTheArtifactUri() {
        var response = await(tracking.getRun("r1"));

        assertEquals("run_id=r1", FakeTrackingResource.lastRequest());
        assertEquals("mlflow-artifacts:/7/r1/artifacts", response.run().info().artifactUri());
    }

    @Test
    void setTagSendsMlflowsFieldNames() {
        await(tracking.setTag(new SetTagRequest("r1", "mlflow.project.backend", "kubernetes")));

        assertSent("{\"run_id\": \"r1\", \"key\": \"mlflow.project.backend\", \"value\": \"kubernetes\"}");
    }

    @Test
    void getExperimentByNameAsksByExperimentNameAndReadsTheExperiment() {
        var response = await(tracking.getExperimentByName("nightly builds"));

        assertEquals("experiment_name=nightly builds",
                URLDecoder.decode(FakeTrackingResource.lastRequest(), StandardCharsets.UTF_8));
        assertEquals(new Experiment("7", "nightly builds", "mlflow-artifacts:/7", "active"), response.experiment());
    }

    @Test
    void createExperimentSendsMlflowsFieldNamesAndReadsTheId() {
        var response = await(tracking.createExperiment(new CreateExperimentRequest("nightly builds")));

        assertSent("{\"name\": \"nightly builds\"}");
        assertEquals("7", response.experimentId());
    }

    @Test
    void getLoggedModelAsksByIdInThePathAndReadsTheArtifactUri() {
        var response = await(tracking.getLoggedModel("m-0123456789abcdef0123456789abcdef"));

        assertEquals("/api/2.0/mlflow/logged-models/m-0123456789abcdef0123456789abcdef",
                FakeTrackingResource.lastRequest());
        assertEquals("mlflow-artifacts:/7/models/m-0123456789abcdef0123456789abcdef/artifacts",
                response.model().info().artifactUri());
        assertEquals("7", response.model().info().experimentId());
    }

    @Test
    void anUnknownLoggedModelIsTrackingServicesNotFound() {
        var error = assertThrows(MlflowException.class, () -> await(tracking.getLoggedModel("m-missing")));

        assertEquals(ErrorCode.RESOURCE_DOES_NOT_EXIST, error.errorCode());
        assertEquals("Logged model with ID 'm-missing' not found.", error.getMessage());
    }

    @Test
    void trackingServicesMlflowErrorPassesThroughUnchanged() {
        var error = assertThrows(MlflowException.class, () -> await(tracking.getRun("missing-1")));

        assertEquals(ErrorCode.RESOURCE_DOES_NOT_EXIST, error.errorCode());
        assertEquals("Run with id=missing-1 not found", error.getMessage());
    }

    @Test
    void aProxysHtmlErrorPageBecomesAnExceptionNamingTheStatus() {
        var error = assertThrows(IllegalStateException.class, () -> await(tracking.getRun("proxied-1")));

        assertTrue(error.getMessage().contains("HTTP 502"), error.getMessage());
    }

    @Test
    void anErrorCodeMlflowDoesNotHaveIsNotTakenForAnMlflowError() {
        var error = assertThrows(IllegalStateException.class, () -> await(tracking.getRun("odd-1")));

        assertTrue(error.getMessage().contains("HTTP 500"), error.getMessage());
    }

    private static <T> T await(Uni<T> call) {
        return call.await().atMost(Duration.ofSeconds(30));
    }

    private static void assertSent(String expectedJson) {
        try {
            assertEquals(JSON.readTree(expectedJson), JSON.readTree(FakeTrackingResource.lastRequest()));
        } catch (JsonProcessingException e) {
            throw new AssertionError(e);
        }
    }
}
