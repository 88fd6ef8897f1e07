package io.quarkflow.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.mlflow.api.proto.Service.RunInfo;
import org.mlflow.tracking.MlflowClient;

import java.io.InputStream;
import java.net.URI;
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
 * Artifacts through the gateway over plain HTTP (the Java client's artifact calls need a Python mlflow): MLflow's
 * artifact proxy API and the tracking API's artifacts/list, with the bytes checked in the S3 bucket itself.
 */
@EndToEnd
class ArtifactsTest {

    private static final String PROXY = "/api/2.0/mlflow-artifacts/artifacts";
    private static final String SCHEME = "mlflow-artifacts:/";

    private final URI gateway;
    private final MlflowClient client;
    private final GatewayHttp http;
    private final ObjectStorage storage;

    ArtifactsTest(QuarkflowSuite suite) {
        gateway = suite.gateway();
        client = suite.editorClient();
        http = GatewayHttp.basic(gateway, GatewayIdentities.EDITOR, GatewayIdentities.EDITOR_PASSWORD);
        storage = suite.storage();
    }

    @AfterEach
    void close() {
        client.close();
    }

    @Test
    void uploadsListsDownloadsAndDeletesRunArtifacts() throws Exception {
        RunArtifacts run = newRun("e2e-artifacts");
        byte[] weights = "weights v1\n".getBytes(StandardCharsets.UTF_8);
        byte[] metrics = "{\"auc\": 0.91}".getBytes(StandardCharsets.UTF_8);

        assertEquals(200, http.put(PROXY + "/" + run.root() + "/model/weights.bin", weights).statusCode());
        assertEquals(200, http.put(PROXY + "/" + run.root() + "/metrics.json", metrics).statusCode());

        HttpResponse<byte[]> download = http.getBytes(PROXY + "/" + run.root() + "/model/weights.bin");
        assertEquals(200, download.statusCode());
        assertArrayEquals(weights, download.body());
        assertArrayEquals(metrics, http.getBytes(PROXY + "/" + run.root() + "/metrics.json").body());
        try (InputStream stored = storage.open(ObjectStorage.keyOf(run.root() + "/model/weights.bin"))) {
            assertArrayEquals(weights, stored.readAllBytes(), "the bytes are in the bucket under the run's key");
        }

        assertEquals(List.of("metrics.json:" + metrics.length, "model/"),
                GatewayHttp.files(http.get(PROXY + "?path=" + GatewayHttp.encode(run.root()))));
        JsonNode runListing = GatewayHttp.json(http.get("/api/2.0/mlflow/artifacts/list?run_id=" + run.id()));
        assertEquals(SCHEME + run.root(), runListing.path("root_uri").asText());
        assertEquals(List.of("metrics.json:" + metrics.length, "model/"), GatewayHttp.files(runListing));
        assertEquals(List.of("model/weights.bin:" + weights.length),
                GatewayHttp.files(http.get("/api/2.0/mlflow/artifacts/list?run_id=" + run.id() + "&path=model")));

        assertEquals(200, http.delete(PROXY + "/" + run.root() + "/metrics.json").statusCode());
        assertJsonError(404, "RESOURCE_DOES_NOT_EXIST", http.get(PROXY + "/" + run.root() + "/metrics.json"));
        assertEquals(OptionalLong.empty(), storage.size(ObjectStorage.keyOf(run.root() + "/metrics.json")));
        assertEquals(List.of("model/"), GatewayHttp.files(http.get("/api/2.0/mlflow/artifacts/list?run_id=" + run.id())));
    }

    @Test
    void streamsA64MegabyteArtifactUpAndDown() throws Exception {
        RunArtifacts run = newRun("e2e-artifacts-large");
        long size = 64L << 20;
        long seed = 20_240_229L;
        String expected = SeededBytes.sha256Hex(new SeededBytes(seed, size));
        String path = PROXY + "/" + run.root() + "/data/train.bin";

        // No Content-Length: the body goes up chunked, as a client streaming a file of unknown size sends it.
        HttpResponse<String> upload = http.send(http.request(path)
                .PUT(HttpRequest.BodyPublishers.ofInputStream(() -> new SeededBytes(seed, size))));
        assertEquals(200, upload.statusCode(), upload.body());

        HttpResponse<InputStream> download = http.send(http.request(path).GET(), HttpResponse.BodyHandlers.ofInputStream());
        assertEquals(200, download.statusCode());
        assertEquals(expected, SeededBytes.sha256Hex(download.body()), "the download is the upload, byte for byte");
        String key = ObjectStorage.keyOf(run.root() + "/data/train.bin");
        assertEquals(OptionalLong.of(size), storage.size(key));
        assertEquals(expected, SeededBytes.sha256Hex(storage.open(key)), "the bucket holds the same bytes");
        assertEquals(List.of("data/train.bin:" + size),
                GatewayHttp.files(http.get("/api/2.0/mlflow/artifacts/list?run_id=" + run.id() + "&path=data")));
    }

    @Test
    void uploadsAfterExpectContinueAndStoresNothingOfAnUploadCutShort() throws Exception {
        RunArtifacts run = newRun("e2e-artifacts-continue");
        byte[] model = "model weights, sent once the gateway said 100 Continue\n".getBytes(StandardCharsets.UTF_8);

        HttpResponse<String> upload = http.send(http.request(PROXY + "/" + run.root() + "/model.bin")
                .expectContinue(true)
                .PUT(HttpRequest.BodyPublishers.ofByteArray(model)));
        assertEquals(200, upload.statusCode(), upload.body());
        assertArrayEquals(model, http.getBytes(PROXY + "/" + run.root() + "/model.bin").body());

        String cutKey = ObjectStorage.keyOf(run.root() + "/cut.bin");
        try (RawUpload cut = RawUpload.start(gateway, PROXY + "/" + run.root() + "/cut.bin",
                GatewayHttp.basicAuthorization(GatewayIdentities.EDITOR, GatewayIdentities.EDITOR_PASSWORD), 64L << 20)) {
            assertEquals("HTTP/1.1 100 Continue", cut.readStatusLine());
            cut.send(new byte[1 << 20]); // 1 MiB of the 64 announced, then the client vanishes
        }
        // The services learn of the cut asynchronously: a short object that looks complete would appear by now.
        for (int check = 0; check < 10; check++) {
            assertEquals(OptionalLong.empty(), storage.size(cutKey), "nothing of an upload cut short is stored");
            Thread.sleep(300);
        }
        assertJsonError(404, "RESOURCE_DOES_NOT_EXIST", http.get(PROXY + "/" + run.root() + "/cut.bin"));
    }

    @Test
    void refusesPathsOutsideTheArtifactRoot() {
        RunArtifacts run = newRun("e2e-artifacts-traversal");

        assertJsonError(400, "INVALID_PARAMETER_VALUE", http.get(PROXY + "?path=" + GatewayHttp.encode(run.root() + "/../../..")));
        assertJsonError(400, "INVALID_PARAMETER_VALUE",
                http.get("/api/2.0/mlflow/artifacts/list?run_id=" + run.id() + "&path=" + GatewayHttp.encode("../..")));
    }

    @Test
    void listingTheArtifactsOfAnUnknownRunIsNotFound() {
        assertJsonError(404, "RESOURCE_DOES_NOT_EXIST", http.get("/api/2.0/mlflow/artifacts/list?run_id=" + unknownRunId()));
    }

    /** A new run's id and artifact root, the root as a path of the proxy API (its URI without the scheme). */
    private RunArtifacts newRun(String experimentPrefix) {
        RunInfo run = client.createRun(client.createExperiment(uniqueName(experimentPrefix)));
        assertTrue(run.getArtifactUri().startsWith(SCHEME), run.getArtifactUri());
        return new RunArtifacts(run.getRunId(), run.getArtifactUri().substring(SCHEME.length()));
    }

    private record RunArtifacts(String id, String root) {
    }
}
