package io.quarkflow.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.mlflow.api.proto.Service.RunInfo;
import org.mlflow.tracking.MlflowClient;

import java.io.InputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.OptionalLong;

import static io.quarkflow.e2e.MlflowMessages.assertJsonError;
import static io.quarkflow.e2e.MlflowMessages.uniqueName;
import static io.quarkflow.e2e.MlflowMessages.unknownRunId;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The web UI's artifact routes through the gateway, as MLflow's UI calls them: /get-artifact, the ajax-api
 * upload-artifact, and a logged model's artifact listing and download (MLflow 3). The permissions are the gateway's:
 * a reader downloads, only an editor uploads.
 */
@EndToEnd
class UiArtifactRoutesTest {

    private static final String PROXY = "/api/2.0/mlflow-artifacts/artifacts";
    private static final String SCHEME = "mlflow-artifacts:/";

    private final MlflowClient client;
    private final GatewayHttp editor;
    private final GatewayHttp reader;
    private final GatewayHttp anonymous;
    private final ObjectStorage storage;

    UiArtifactRoutesTest(QuarkflowSuite suite) {
        client = suite.editorClient();
        editor = GatewayHttp.basic(suite.gateway(), GatewayIdentities.EDITOR, GatewayIdentities.EDITOR_PASSWORD);
        reader = GatewayHttp.bearer(suite.gateway(), GatewayIdentities.READER_TOKEN);
        anonymous = GatewayHttp.anonymous(suite.gateway());
        storage = suite.storage();
    }

    @AfterEach
    void close() {
        client.close();
    }

    @Test
    void theUiUploadsARunArtifactAndAReaderDownloadsIt() throws Exception {
        RunInfo run = newRun("e2e-ui-artifacts");
        byte[] table = "{\"columns\": [\"input\", \"output\"], \"data\": [[\"a\", \"b\"]]}"
                .getBytes(StandardCharsets.UTF_8);

        HttpResponse<String> upload = uploadArtifact(editor, run.getRunId(), "eval/table.json", table);
        assertEquals(200, upload.statusCode(), upload.body());
        assertEquals("", upload.body(), "MLflow answers the upload with an empty body");

        try (InputStream stored = storage.open(ObjectStorage.keyOf(root(run) + "/eval/table.json"))) {
            assertArrayEquals(table, stored.readAllBytes(), "the bytes are in the bucket under the run's key");
        }
        HttpResponse<byte[]> download = reader.getBytes("/get-artifact?run_id=" + run.getRunId() + "&path="
                + GatewayHttp.encode("eval/table.json"));
        assertEquals(200, download.statusCode());
        assertArrayEquals(table, download.body());
        assertEquals("text/plain", download.headers().firstValue("Content-Type").orElse(""));
        assertTrue(download.headers().firstValue("Content-Disposition").orElse("").startsWith("attachment;"));
        assertEquals("nosniff", download.headers().firstValue("X-Content-Type-Options").orElse(""));
        assertEquals(List.of("eval/table.json:" + table.length),
                GatewayHttp.files(reader.get("/api/2.0/mlflow/artifacts/list?run_id=" + run.getRunId() + "&path=eval")));
    }

    @Test
    void onlyAnEditorUploadsAndNobodyAnonymouslyDownloads() throws Exception {
        RunInfo run = newRun("e2e-ui-artifacts-permissions");
        byte[] bytes = "\"x\"".getBytes(StandardCharsets.UTF_8);

        assertJsonError(403, "PERMISSION_DENIED", uploadArtifact(reader, run.getRunId(), "planted.json", bytes));
        assertJsonError(401, "UNAUTHENTICATED", uploadArtifact(anonymous, run.getRunId(), "planted.json", bytes));
        assertEquals(OptionalLong.empty(), storage.size(ObjectStorage.keyOf(root(run) + "/planted.json")));

        assertEquals(200, uploadArtifact(editor, run.getRunId(), "ok.json", bytes).statusCode());
        assertJsonError(401, "UNAUTHENTICATED",
                anonymous.get("/get-artifact?run_id=" + run.getRunId() + "&path=ok.json"));
    }

    @Test
    void errorsAreMlflowsInJson() {
        RunInfo run = newRun("e2e-ui-artifacts-errors");
        assertJsonError(404, "RESOURCE_DOES_NOT_EXIST",
                reader.get("/get-artifact?run_id=" + unknownRunId() + "&path=model.pkl"));
        assertJsonError(404, "RESOURCE_DOES_NOT_EXIST",
                reader.get("/get-artifact?run_id=" + run.getRunId() + "&path=nothing.txt"));
        assertJsonError(400, "INVALID_PARAMETER_VALUE",
                reader.get("/get-artifact?run_id=" + run.getRunId() + "&path=" + GatewayHttp.encode("../../secret.txt")));
        byte[] one = "1".getBytes(StandardCharsets.UTF_8);
        assertJsonError(400, "INVALID_PARAMETER_VALUE",
                uploadArtifact(editor, run.getRunId(), GatewayHttp.encode("a/../../../x.txt"), one));
        assertJsonError(404, "RESOURCE_DOES_NOT_EXIST",
                uploadArtifact(editor, unknownRunId(), "x.json", one));
        assertJsonError(400, "INVALID_PARAMETER_VALUE",
                uploadArtifact(editor, run.getRunId(), "big.bin", new byte[10 * 1024 * 1024 + 1]));
    }

    @Test
    void aLoggedModelsArtifactsAreListedAndDownloaded() {
        String experimentId = client.createExperiment(uniqueName("e2e-ui-logged-model"));
        HttpResponse<String> created = editor.postJson("/api/2.0/mlflow/logged-models",
                "{\"experiment_id\": \"" + experimentId + "\", \"name\": \"model\"}");
        assertEquals(200, created.statusCode(), created.body());
        JsonNode info = GatewayHttp.json(created).path("model").path("info");
        String modelId = info.path("model_id").asText();
        String artifactUri = info.path("artifact_uri").asText();
        assertTrue(artifactUri.startsWith(SCHEME), "artifact_uri, as on MLflow's wire: " + created.body());
        String root = artifactUri.substring(SCHEME.length());
        byte[] mlmodel = "flavors: {}\n".getBytes(StandardCharsets.UTF_8);
        assertEquals(200, editor.put(PROXY + "/" + root + "/MLmodel", mlmodel).statusCode());
        assertEquals(200, editor.put(PROXY + "/" + root + "/data/model.pkl", new byte[7]).statusCode());

        String artifacts = "/logged-models/" + modelId + "/artifacts";
        JsonNode listing = GatewayHttp.json(reader.get("/ajax-api/2.0/mlflow" + artifacts + "/directories"));
        assertEquals(artifactUri, listing.path("root_uri").asText());
        assertEquals(List.of("MLmodel:" + mlmodel.length, "data/"), GatewayHttp.files(listing));
        assertEquals(List.of("data/model.pkl:7"), GatewayHttp.files(reader.get("/api/2.0/mlflow" + artifacts
                + "/directories?artifact_directory_path=data")));
        HttpResponse<byte[]> download = reader.getBytes("/ajax-api/2.0/mlflow" + artifacts
                + "/files?artifact_file_path=MLmodel");
        assertEquals(200, download.statusCode());
        assertArrayEquals(mlmodel, download.body());
        assertJsonError(404, "RESOURCE_DOES_NOT_EXIST",
                reader.get("/ajax-api/2.0/mlflow/logged-models/m-" + unknownRunId() + "/artifacts/directories"));
    }

    private RunInfo newRun(String experimentPrefix) {
        RunInfo run = client.createRun(client.createExperiment(uniqueName(experimentPrefix)));
        assertTrue(run.getArtifactUri().startsWith(SCHEME), run.getArtifactUri());
        return run;
    }

    /** The run's artifact root as a path of the proxy API (its URI without the scheme). */
    private static String root(RunInfo run) {
        return run.getArtifactUri().substring(SCHEME.length());
    }

    /** As MLflow's UI uploads (ExperimentActions.uploadArtifactApi): a POST of JSON text, the run as run_uuid. */
    private static HttpResponse<String> uploadArtifact(GatewayHttp caller, String runUuid, String path, byte[] body) {
        return caller.send(caller.request("/ajax-api/2.0/mlflow/upload-artifact?run_uuid=" + runUuid + "&path=" + path)
                .header("Content-Type", "application/json; charset=utf-8")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)));
    }
}
