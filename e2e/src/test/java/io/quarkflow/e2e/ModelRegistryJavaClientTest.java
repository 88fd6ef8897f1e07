package io.quarkflow.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.mlflow.api.proto.ModelRegistry.ModelVersion;
import org.mlflow.api.proto.ModelRegistry.ModelVersionStatus;
import org.mlflow.api.proto.ModelRegistry.RegisteredModel;
import org.mlflow.api.proto.Service.RunInfo;
import org.mlflow.tracking.MlflowClient;
import org.mlflow.tracking.Page;
import org.mlflow.tracking.creds.BasicMlflowHostCreds;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static io.quarkflow.e2e.MlflowMessages.assertHttpError;
import static io.quarkflow.e2e.MlflowMessages.assertJsonError;
import static io.quarkflow.e2e.MlflowMessages.uniqueName;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The model registry through the authenticating gateway with the stock MLflow Java client 2.17.2. The client reads
 * the registry (getRegisteredModel, getModelVersion, getLatestVersions, getModelVersionDownloadUri,
 * searchModelVersions); it has no method that changes it, so changes go through its sendPost, as a Java user of that
 * client writes them, and deletes (HTTP DELETE, which the client cannot send) over plain HTTP. Its
 * downloadModelVersion shells out to a Python mlflow, so the files are read through the artifact proxy instead.
 */
@EndToEnd
class ModelRegistryJavaClientTest {

    private static final String PROXY = "/api/2.0/mlflow-artifacts/artifacts";
    private static final String SCHEME = "mlflow-artifacts:/";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final URI gateway;
    private final MlflowClient client;
    private final GatewayHttp http;

    ModelRegistryJavaClientTest(QuarkflowSuite suite) {
        gateway = suite.gateway();
        client = suite.editorClient();
        http = GatewayHttp.basic(gateway, GatewayIdentities.EDITOR, GatewayIdentities.EDITOR_PASSWORD);
    }

    @AfterEach
    void close() {
        client.close();
    }

    @Test
    void registersARunsModelAndFollowsItThroughItsStagesToItsDeletion() {
        RunInfo run = client.createRun(client.createExperiment(uniqueName("e2e-registry")));
        String root = run.getArtifactUri().substring(SCHEME.length());
        byte[] mlmodel = "artifact_path: model\nflavors: {}\n".getBytes(StandardCharsets.UTF_8);
        byte[] weights = "weights v1\n".getBytes(StandardCharsets.UTF_8);
        assertEquals(200, http.put(PROXY + "/" + root + "/model/MLmodel", mlmodel).statusCode());
        assertEquals(200, http.put(PROXY + "/" + root + "/model/model.bin", weights).statusCode());

        String name = uniqueName("e2e-model");
        JsonNode created = post("registered-models/create", Map.of("name", name, "description", "churn classifier"));
        assertEquals(name, created.path("registered_model").path("name").asText());
        RegisteredModel model = client.getRegisteredModel(name);
        assertEquals(name, model.getName());
        assertEquals("churn classifier", model.getDescription());
        assertEquals(0, model.getLatestVersionsCount());

        // What mlflow.register_model("runs:/<run_id>/model", name) sends.
        String source = "runs:/" + run.getRunId() + "/model";
        assertEquals("1", post("model-versions/create", Map.of("name", name, "source", source,
                "run_id", run.getRunId())).path("model_version").path("version").asText());
        assertEquals("2", post("model-versions/create", Map.of("name", name, "source", source,
                "run_id", run.getRunId())).path("model_version").path("version").asText());

        ModelVersion first = client.getModelVersion(name, "1");
        assertEquals(name, first.getName());
        assertEquals(source, first.getSource());
        assertEquals(run.getRunId(), first.getRunId());
        assertEquals("None", first.getCurrentStage());
        assertEquals(ModelVersionStatus.READY, first.getStatus());
        assertTrue(first.getCreationTimestamp() > 0);

        // The download URI is where the run's files are; the bytes are there.
        String downloadUri = client.getModelVersionDownloadUri(name, "1");
        assertEquals(run.getArtifactUri() + "/model", downloadUri);
        String modelRoot = downloadUri.substring(SCHEME.length());
        assertArrayEquals(mlmodel, http.getBytes(PROXY + "/" + modelRoot + "/MLmodel").body());
        assertArrayEquals(weights, http.getBytes(PROXY + "/" + modelRoot + "/model.bin").body());

        transition(name, "1", "Production", false);
        transition(name, "2", "Staging", false);
        assertEquals(Map.of("Production", "1", "Staging", "2"), byStage(client.getLatestVersions(name)));
        assertEquals(Map.of("Staging", "2"), byStage(client.getLatestVersions(name, List.of("Staging"))));
        assertEquals(Map.of(), byStage(client.getLatestVersions(name, List.of("Archived"))));
        assertEquals(Set.of("1", "2"), client.getRegisteredModel(name).getLatestVersionsList().stream()
                .map(ModelVersion::getVersion).collect(Collectors.toSet()));

        // Promoting 2 with archive_existing_versions archives 1.
        JsonNode promoted = transition(name, "2", "Production", true);
        assertEquals("Production", promoted.path("model_version").path("current_stage").asText());
        assertEquals(Map.of("Production", "2"), byStage(client.getLatestVersions(name, List.of("Production"))));
        assertEquals("Archived", client.getModelVersion(name, "1").getCurrentStage());

        post("registered-models/alias", Map.of("name", name, "alias", "champion", "version", "2"));
        assertEquals(List.of("champion"), client.getModelVersion(name, "2").getAliasesList());
        assertEquals("2", json(client.sendGet("registered-models/alias?name=" + GatewayHttp.encode(name)
                + "&alias=champion")).path("model_version").path("version").asText());

        assertEquals(List.of("2", "1"), versions(client.searchModelVersions("name = '" + name + "'").getItems()));
        // One version a page, as the client pages.
        Page<ModelVersion> page = client.searchModelVersions("name = '" + name + "'", 1, List.of("version_number ASC"));
        List<String> paged = new ArrayList<>(versions(page.getItems()));
        assertTrue(page.hasNextPage());
        page = page.getNextPage();
        paged.addAll(versions(page.getItems()));
        assertEquals(List.of("1", "2"), paged);
        assertEquals(List.of("1", "2"), versions(client.searchModelVersions("run_id = '" + run.getRunId() + "' and name = '"
                + name + "'", 10, List.of("version_number ASC")).getItems()));

        assertEquals(200, delete("model-versions/delete", Map.of("name", name, "version", "1")).statusCode());
        assertHttpError(404, "RESOURCE_DOES_NOT_EXIST", () -> client.getModelVersion(name, "1"));
        assertEquals(List.of("2"), versions(client.searchModelVersions("name = '" + name + "'").getItems()));

        assertEquals(200, delete("registered-models/delete", Map.of("name", name)).statusCode());
        assertHttpError(404, "RESOURCE_DOES_NOT_EXIST", () -> client.getRegisteredModel(name));
        assertHttpError(404, "RESOURCE_DOES_NOT_EXIST", () -> client.getLatestVersions(name));
        assertFalse(client.searchModelVersions("name = '" + name + "'").getItems().iterator().hasNext());
        // The run's files are the run's: deleting the registered model leaves them.
        assertArrayEquals(weights, http.getBytes(PROXY + "/" + modelRoot + "/model.bin").body());
    }

    @Test
    void registryErrorsReachTheClientAsMlflowWordsThem() {
        String unknown = uniqueName("e2e-no-model");
        assertHttpError(404, "RESOURCE_DOES_NOT_EXIST", () -> client.getRegisteredModel(unknown));
        assertHttpError(404, "RESOURCE_DOES_NOT_EXIST", () -> client.getLatestVersions(unknown));
        assertHttpError(404, "RESOURCE_DOES_NOT_EXIST", () -> client.getModelVersionDownloadUri(unknown, "1"));

        String name = uniqueName("e2e-model");
        post("registered-models/create", Map.of("name", name));
        assertHttpError(404, "RESOURCE_DOES_NOT_EXIST", () -> client.getModelVersion(name, "1"));
        assertHttpError(400, "RESOURCE_ALREADY_EXISTS",
                () -> client.sendPost("registered-models/create", body(Map.of("name", name))));
        assertHttpError(400, "INVALID_PARAMETER_VALUE", () -> client.sendPost("model-versions/create",
                body(Map.of("name", name, "source", "file:///etc/passwd"))));
        assertHttpError(400, "INVALID_PARAMETER_VALUE", () -> client.getLatestVersions(name, List.of("Bogus")));
        assertHttpError(400, "INVALID_PARAMETER_VALUE",
                () -> client.searchModelVersions("name = '" + name + "' and bogus = 1"));
        assertHttpError(404, "RESOURCE_DOES_NOT_EXIST", () -> client.sendPost("model-versions/transition-stage",
                body(Map.of("name", name, "version", "7", "stage", "Production"))));
        assertJsonError(404, "RESOURCE_DOES_NOT_EXIST", delete("model-versions/delete",
                Map.of("name", name, "version", "7")));
    }

    @Test
    void aReaderReadsTheRegistryButCannotChangeIt() {
        String name = uniqueName("e2e-model");
        post("registered-models/create", Map.of("name", name));
        RunInfo run = client.createRun(client.createExperiment(uniqueName("e2e-registry-reader")));
        post("model-versions/create", Map.of("name", name, "source", "runs:/" + run.getRunId() + "/model"));

        MlflowClient reader = new MlflowClient(new BasicMlflowHostCreds(gateway.toString(),
                GatewayIdentities.READER, GatewayIdentities.READER_PASSWORD));
        try {
            assertEquals(name, reader.getRegisteredModel(name).getName());
            assertEquals(List.of("1"), versions(reader.getLatestVersions(name)));
            assertEquals(run.getArtifactUri() + "/model", reader.getModelVersionDownloadUri(name, "1"));
            assertHttpError(403, "PERMISSION_DENIED", () -> reader.sendPost("model-versions/transition-stage",
                    body(Map.of("name", name, "version", "1", "stage", "Production"))));
            assertHttpError(403, "PERMISSION_DENIED",
                    () -> reader.sendPost("registered-models/create", body(Map.of("name", uniqueName("forged")))));
        } finally {
            reader.close();
        }
        assertEquals("None", client.getModelVersion(name, "1").getCurrentStage());
        GatewayHttp readerHttp = GatewayHttp.basic(gateway, GatewayIdentities.READER, GatewayIdentities.READER_PASSWORD);
        assertJsonError(403, "PERMISSION_DENIED", send(readerHttp, "registered-models/delete", Map.of("name", name)));
        assertEquals(name, client.getRegisteredModel(name).getName());
    }

    private JsonNode transition(String name, String version, String stage, boolean archiveExisting) {
        return post("model-versions/transition-stage", Map.of("name", name, "version", version, "stage", stage,
                "archive_existing_versions", archiveExisting));
    }

    /** A write through the client's own sendPost, which fails with MlflowHttpException as its other calls do. */
    private JsonNode post(String path, Map<String, Object> request) {
        return json(client.sendPost(path, body(request)));
    }

    /** MLflow's deletes are DELETEs with a JSON body, which the Java client cannot send. */
    private HttpResponse<String> delete(String path, Map<String, Object> request) {
        return send(http, path, request);
    }

    private static HttpResponse<String> send(GatewayHttp caller, String path, Map<String, Object> request) {
        return caller.send(caller.request("/api/2.0/mlflow/" + path)
                .header("Content-Type", "application/json")
                .method("DELETE", HttpRequest.BodyPublishers.ofString(body(request))));
    }

    private static Map<String, String> byStage(List<ModelVersion> latest) {
        return latest.stream().collect(Collectors.toMap(ModelVersion::getCurrentStage, ModelVersion::getVersion));
    }

    private static List<String> versions(Iterable<ModelVersion> versions) {
        List<String> numbers = new ArrayList<>();
        versions.forEach(version -> numbers.add(version.getVersion()));
        return numbers;
    }

    private static String body(Map<String, Object> request) {
        try {
            return JSON.writeValueAsString(request);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static JsonNode json(String body) {
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
