package io.quarkflow.e2e;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.mlflow.api.proto.Service.Experiment;
import org.mlflow.api.proto.Service.Metric;
import org.mlflow.api.proto.Service.Run;
import org.mlflow.api.proto.Service.ViewType;
import org.mlflow.tracking.MlflowClient;
import org.mlflow.tracking.creds.BasicMlflowHostCreds;

import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

import static io.quarkflow.e2e.GatewayIdentities.EDITOR;
import static io.quarkflow.e2e.GatewayIdentities.EDITOR_PASSWORD;
import static io.quarkflow.e2e.GatewayIdentities.EDITOR_TOKEN;
import static io.quarkflow.e2e.GatewayIdentities.READER;
import static io.quarkflow.e2e.GatewayIdentities.READER_PASSWORD;
import static io.quarkflow.e2e.GatewayIdentities.READER_TOKEN;
import static io.quarkflow.e2e.MlflowMessages.assertHttpError;
import static io.quarkflow.e2e.MlflowMessages.assertJsonError;
import static io.quarkflow.e2e.MlflowMessages.latestMetrics;
import static io.quarkflow.e2e.MlflowMessages.params;
import static io.quarkflow.e2e.MlflowMessages.uniqueName;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The authenticating gateway, as the MLflow client meets it: MLFLOW_TRACKING_USERNAME/PASSWORD become HTTP Basic,
 * MLFLOW_TRACKING_TOKEN a Bearer token. Read-only identities search and read; nothing else gets through.
 */
@EndToEnd
class AuthenticationTest {

    private static final String PROXY = "/api/2.0/mlflow-artifacts/artifacts";

    /** Credentials the gateway must refuse, each as the client would send them. */
    enum BadCredentials {
        NONE, WRONG_PASSWORD, UNKNOWN_USER, UNKNOWN_TOKEN, PASSWORD_AS_TOKEN;

        BasicMlflowHostCreds at(URI gateway) {
            String uri = gateway.toString();
            return switch (this) {
                case NONE -> new BasicMlflowHostCreds(uri);
                case WRONG_PASSWORD -> new BasicMlflowHostCreds(uri, EDITOR, EDITOR_PASSWORD + "-wrong");
                case UNKNOWN_USER -> new BasicMlflowHostCreds(uri, "mallory", EDITOR_PASSWORD);
                case UNKNOWN_TOKEN -> new BasicMlflowHostCreds(uri, "qf-e2e-token-nobody-issued");
                case PASSWORD_AS_TOKEN -> new BasicMlflowHostCreds(uri, EDITOR_PASSWORD);
            };
        }
    }

    private final URI gateway;
    private final ObjectStorage storage;
    private final List<MlflowClient> clients = new ArrayList<>();

    AuthenticationTest(QuarkflowSuite suite) {
        gateway = suite.gateway();
        storage = suite.storage();
    }

    @AfterEach
    void closeClients() {
        clients.forEach(MlflowClient::close);
    }

    @Test
    void passwordAndTokenIdentitiesReadAndWrite() {
        MlflowClient byPassword = client(new BasicMlflowHostCreds(gateway.toString(), EDITOR, EDITOR_PASSWORD));
        MlflowClient byToken = client(new BasicMlflowHostCreds(gateway.toString(), EDITOR_TOKEN));
        String name = uniqueName("e2e-auth-write");

        String experimentId = byPassword.createExperiment(name);
        String runId = byToken.createRun(experimentId).getRunId();
        byToken.logParam(runId, "written-by", "token");
        byPassword.logMetric(runId, "loss", 0.5);

        assertEquals(name, byToken.getExperiment(experimentId).getName());
        assertEquals(Map.of("written-by", "token"), params(byPassword.getRun(runId)));
        assertEquals(Map.of("loss", 0.5), latestMetrics(byToken.getRun(runId)));
    }

    @Test
    void readOnlyIdentitiesSearchAndReadButCannotWrite() {
        MlflowClient editor = client(new BasicMlflowHostCreds(gateway.toString(), EDITOR, EDITOR_PASSWORD));
        String name = uniqueName("e2e-auth-read");
        String experimentId = editor.createExperiment(name);
        String runId = editor.createRun(experimentId).getRunId();
        editor.logMetric(runId, "loss", 0.5, 1_700_000_000_000L, 3);
        List<MlflowClient> readers = List.of(
                client(new BasicMlflowHostCreds(gateway.toString(), READER_TOKEN)),
                client(new BasicMlflowHostCreds(gateway.toString(), READER, READER_PASSWORD)));

        for (MlflowClient reader : readers) {
            // Both searches are POSTs: the gateway must tell them from writes by route, not by method.
            assertEquals(List.of(experimentId), reader.searchExperiments("name = '" + name + "'").getItems().stream()
                    .map(Experiment::getExperimentId).toList());
            assertEquals(List.of(runId), reader.searchRuns(List.of(experimentId), "metrics.loss < 1",
                    ViewType.ACTIVE_ONLY, 10, List.of()).getItems().stream().map(run -> run.getInfo().getRunId()).toList());
            assertEquals(List.of(3L), reader.getMetricHistory(runId, "loss").stream().map(Metric::getStep).toList());

            assertHttpError(403, "PERMISSION_DENIED", () -> reader.createExperiment(uniqueName("e2e-auth-denied")));
            assertHttpError(403, "PERMISSION_DENIED", () -> reader.logParam(runId, "written-by", "reader"));
            assertHttpError(403, "PERMISSION_DENIED", () -> reader.deleteRun(runId));
        }
        Run run = editor.getRun(runId);
        assertEquals(Map.of(), params(run), "refused writes change nothing");
        assertEquals("active", run.getInfo().getLifecycleStage());
    }

    @Test
    void readOnlyUserDownloadsButCannotUploadArtifacts() throws Exception {
        GatewayHttp editor = GatewayHttp.basic(gateway, EDITOR, EDITOR_PASSWORD);
        GatewayHttp reader = GatewayHttp.basic(gateway, READER, READER_PASSWORD);
        String root = artifactRoot(client(new BasicMlflowHostCreds(gateway.toString(), EDITOR, EDITOR_PASSWORD)));
        byte[] report = "precision 0.93\n".getBytes(StandardCharsets.UTF_8);
        assertEquals(200, editor.put(PROXY + "/" + root + "/report.txt", report).statusCode());

        assertArrayEquals(report, reader.getBytes(PROXY + "/" + root + "/report.txt").body());
        assertJsonError(403, "PERMISSION_DENIED", reader.put(PROXY + "/" + root + "/forged.txt", report));
        assertJsonError(403, "PERMISSION_DENIED", reader.delete(PROXY + "/" + root + "/report.txt"));
        assertEquals(OptionalLong.empty(), storage.size(ObjectStorage.keyOf(root + "/forged.txt")));
        assertEquals(OptionalLong.of(report.length), storage.size(ObjectStorage.keyOf(root + "/report.txt")));
    }

    @Test
    void refusesAnUploadBeforeItsBodyIsSent() throws Exception {
        String root = artifactRoot(client(new BasicMlflowHostCreds(gateway.toString(), EDITOR, EDITOR_PASSWORD)));
        String path = PROXY + "/" + root + "/refused.bin";
        long oneGigabyte = 1L << 30;

        try (RawUpload anonymous = RawUpload.start(gateway, path, null, oneGigabyte)) {
            String status = anonymous.readStatusLine();
            assertTrue(status.startsWith("HTTP/1.1 401 "), status);
        }
        try (RawUpload reader = RawUpload.start(gateway, path, GatewayHttp.basicAuthorization(READER, READER_PASSWORD),
                oneGigabyte)) {
            String status = reader.readStatusLine();
            assertTrue(status.startsWith("HTTP/1.1 403 "), status);
        }
        assertEquals(OptionalLong.empty(), storage.size(ObjectStorage.keyOf(root + "/refused.bin")));
    }

    @ParameterizedTest
    @EnumSource(BadCredentials.class)
    void refusesMissingOrWrongCredentialsWith401(BadCredentials credentials) {
        MlflowClient refused = client(credentials.at(gateway));
        String name = uniqueName("e2e-auth-refused");

        assertHttpError(401, "UNAUTHENTICATED", () -> refused.searchExperiments());
        assertHttpError(401, "UNAUTHENTICATED", () -> refused.createExperiment(name));

        MlflowClient editor = client(new BasicMlflowHostCreds(gateway.toString(), EDITOR, EDITOR_PASSWORD));
        assertTrue(editor.getExperimentByName(name).isEmpty(), "a refused request creates nothing");
    }

    @Test
    void explainsRefusalsOverPlainHttp() {
        List<GatewayHttp> refused = List.of(
                GatewayHttp.anonymous(gateway),
                GatewayHttp.basic(gateway, EDITOR, "not-the-password"),
                GatewayHttp.bearer(gateway, "qf-e2e-token-nobody-issued"));

        for (GatewayHttp caller : refused) {
            for (HttpResponse<String> response : List.of(
                    caller.postJson("/api/2.0/mlflow/experiments/search", "{\"max_results\": 1}"),
                    caller.get(PROXY + "?path="),
                    caller.get("/version"))) {
                assertJsonError(401, "UNAUTHENTICATED", response);
                assertFalse(response.headers().firstValue("WWW-Authenticate").orElse("").isBlank(),
                        () -> "401 without WWW-Authenticate for " + response.request().uri());
            }
        }
    }

    private MlflowClient client(BasicMlflowHostCreds credentials) {
        MlflowClient client = new MlflowClient(credentials);
        clients.add(client);
        return client;
    }

    /** A new run's artifact root as a path of the proxy API. */
    private static String artifactRoot(MlflowClient client) {
        String uri = client.createRun(client.createExperiment(uniqueName("e2e-auth-artifacts"))).getArtifactUri();
        return uri.substring("mlflow-artifacts:/".length());
    }
}
