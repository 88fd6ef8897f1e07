package io.quarkflow.e2e;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.mlflow.api.proto.Service.Run;
import org.mlflow.api.proto.Service.RunStatus;
import org.mlflow.tracking.MlflowClient;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static io.quarkflow.e2e.MlflowMessages.params;
import static io.quarkflow.e2e.MlflowMessages.uniqueName;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The gateway started with QUARKFLOW_GATEWAY_AUTH_ENABLED=false: the client needs no credentials, and what it
 * writes is what the authenticating gateway in front of the same services reads.
 */
@EndToEnd
class OpenGatewayTest {

    private final QuarkflowSuite suite;
    private final MlflowClient anonymous;
    private final MlflowClient editor;

    OpenGatewayTest(QuarkflowSuite suite) {
        this.suite = suite;
        anonymous = new MlflowClient(suite.openGateway().toString());
        editor = suite.editorClient();
    }

    @AfterEach
    void close() {
        anonymous.close();
        editor.close();
    }

    @Test
    void clientWorksWithoutCredentials() {
        String name = uniqueName("e2e-open");
        String experimentId = anonymous.createExperiment(name);
        String runId = anonymous.createRun(experimentId).getRunId();
        anonymous.logParam(runId, "open", "yes");
        anonymous.logMetric(runId, "loss", 0.25, 1_700_000_000_000L, 2);
        anonymous.setTerminated(runId, RunStatus.FINISHED);

        assertEquals(experimentId, editor.getExperimentByName(name).orElseThrow().getExperimentId());
        Run run = editor.getRun(runId);
        assertEquals(RunStatus.FINISHED, run.getInfo().getStatus());
        assertEquals(Map.of("open", "yes"), params(run));
        assertEquals(List.of("loss=0.25@1700000000000#2"),
                editor.getMetricHistory(runId, "loss").stream().map(MlflowMessages::point).toList());
    }

    @Test
    void artifactsNeedNoCredentials() {
        String uri = anonymous.createRun(anonymous.createExperiment(uniqueName("e2e-open-artifacts"))).getArtifactUri();
        String path = "/api/2.0/mlflow-artifacts/artifacts/" + uri.substring("mlflow-artifacts:/".length()) + "/notes.txt";
        byte[] notes = "written without credentials\n".getBytes(StandardCharsets.UTF_8);

        assertEquals(200, GatewayHttp.anonymous(suite.openGateway()).put(path, notes).statusCode());

        GatewayHttp authenticated = GatewayHttp.basic(suite.gateway(), GatewayIdentities.EDITOR,
                GatewayIdentities.EDITOR_PASSWORD);
        assertArrayEquals(notes, authenticated.getBytes(path).body(), "the same store behind both gateways");
    }
}
