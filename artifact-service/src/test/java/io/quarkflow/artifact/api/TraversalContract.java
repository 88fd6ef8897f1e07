package io.quarkflow.artifact.api;

import io.quarkflow.artifact.StorageSnapshot;
import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.function.Supplier;

import static io.quarkflow.artifact.api.ArtifactApi.ARTIFACTS;
import static io.quarkflow.artifact.api.ArtifactApi.GET_ARTIFACT;
import static io.quarkflow.artifact.api.ArtifactApi.LOGGED_MODELS;
import static io.quarkflow.artifact.api.ArtifactApi.MPU;
import static io.quarkflow.artifact.api.ArtifactApi.PRESIGN;
import static io.quarkflow.artifact.api.ArtifactApi.RUN_ARTIFACTS;
import static io.quarkflow.artifact.api.ArtifactApi.UPLOAD_ARTIFACT;
import static io.quarkflow.artifact.api.ArtifactApi.assertInvalid;
import static io.quarkflow.artifact.api.ArtifactApi.raw;
import static io.quarkflow.artifact.api.ArtifactApi.uploaded;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every traversal shape on every route that takes a path: refused with 400 INVALID_PARAMETER_VALUE, and nothing
 * inside or outside the artifact root (local files, bucket objects) is read, created, changed or deleted.
 */
abstract class TraversalContract {

    private static final String SHAPES = "io.quarkflow.artifact.TraversalShapes#ENCODED";
    private static final String RUN = "traversal-run";
    private static final String MODEL = "m-traversal";
    private static final String MPU_BODY = "{\"path\": \"/tmp/model.bin\", \"num_parts\": 2, \"upload_id\": \"u\","
            + " \"parts\": [{\"part_number\": 1, \"etag\": \"e\"}]}";

    /** Once per application start: each test profile starts the service with empty storage. */
    private static boolean storageFilled;

    @BeforeEach
    void storageHasArtifacts() {
        if (!storageFilled) {
            uploaded("victim/model.bin", "precious".getBytes(StandardCharsets.UTF_8));
            uploaded("1/" + RUN + "/artifacts/model.bin", "precious".getBytes(StandardCharsets.UTF_8));
            uploaded("1/models/" + MODEL + "/artifacts/model.bin", "precious".getBytes(StandardCharsets.UTF_8));
            storageFilled = true;
        }
    }

    @ParameterizedTest
    @FieldSource(SHAPES)
    void download(String shape) {
        refusedTouchingNothing(() -> raw("GET", ARTIFACTS + "/" + shape, null));
    }

    @ParameterizedTest
    @FieldSource(SHAPES)
    void upload(String shape) {
        refusedTouchingNothing(() -> raw("PUT", ARTIFACTS + "/" + shape, "pwned"));
    }

    @ParameterizedTest
    @FieldSource(SHAPES)
    void delete(String shape) {
        refusedTouchingNothing(() -> raw("DELETE", ARTIFACTS + "/" + shape, null));
    }

    @ParameterizedTest
    @FieldSource(SHAPES)
    void list(String shape) {
        refusedTouchingNothing(() -> raw("GET", ARTIFACTS + "?path=" + shape, null));
    }

    @ParameterizedTest
    @FieldSource(SHAPES)
    void listRunArtifacts(String shape) {
        refusedTouchingNothing(() -> raw("GET", RUN_ARTIFACTS + "?run_id=" + RUN + "&path=" + shape, null));
    }

    @ParameterizedTest
    @FieldSource(SHAPES)
    void getArtifact(String shape) {
        refusedTouchingNothing(
                () -> raw("GET", GET_ARTIFACT + "?run_id=" + RUN + "&path=" + shape, null),
                () -> raw("GET", GET_ARTIFACT + "?run_uuid=" + RUN + "&path=" + shape, null));
    }

    @ParameterizedTest
    @FieldSource(SHAPES)
    void uploadArtifact(String shape) {
        refusedTouchingNothing(() -> raw("POST", UPLOAD_ARTIFACT + "?run_uuid=" + RUN + "&path=" + shape, "\"pwned\""));
    }

    @ParameterizedTest
    @FieldSource(SHAPES)
    void listLoggedModelArtifacts(String shape) {
        refusedTouchingNothing(
                () -> raw("GET", "/api/2.0/mlflow/logged-models/" + MODEL + "/artifacts/directories"
                        + "?artifact_directory_path=" + shape, null),
                () -> raw("GET", LOGGED_MODELS + "/" + MODEL + "/artifacts/directories"
                        + "?artifact_directory_path=" + shape, null));
    }

    @ParameterizedTest
    @FieldSource(SHAPES)
    void loggedModelFile(String shape) {
        refusedTouchingNothing(
                () -> raw("GET", LOGGED_MODELS + "/" + MODEL + "/artifacts/files?artifact_file_path=" + shape, null));
    }

    /**
     * The model id is a path segment here and in tracking-service's URL. A shape that only adds segments
     * ("C:/Windows") makes the path no route's, which is a refusal too.
     */
    @ParameterizedTest
    @FieldSource(SHAPES)
    void loggedModelId(String shape) {
        Map<String, String> before = StorageSnapshot.take();
        for (String route : new String[] {"/artifacts/directories", "/artifacts/files?artifact_file_path=model.bin"}) {
            HttpResponse<String> response = raw("GET", LOGGED_MODELS + "/" + shape + route, null);
            if (response.statusCode() == 404) {
                assertEquals("ENDPOINT_NOT_FOUND", JsonPath.from(response.body()).getString("error_code"));
            } else {
                assertInvalid(response);
            }
        }
        assertEquals(before, StorageSnapshot.take());
    }

    @ParameterizedTest
    @FieldSource(SHAPES)
    void multipartCreate(String shape) {
        refusedTouchingNothing(() -> raw("POST", MPU + "/create/" + shape, MPU_BODY));
    }

    @ParameterizedTest
    @FieldSource(SHAPES)
    void multipartComplete(String shape) {
        refusedTouchingNothing(() -> raw("POST", MPU + "/complete/" + shape, MPU_BODY));
    }

    @ParameterizedTest
    @FieldSource(SHAPES)
    void multipartAbort(String shape) {
        refusedTouchingNothing(() -> raw("POST", MPU + "/abort/" + shape, MPU_BODY));
    }

    @ParameterizedTest
    @FieldSource(SHAPES)
    void presign(String shape) {
        refusedTouchingNothing(
                () -> raw("POST", PRESIGN, "{\"path\": \"" + shape + "\", \"method\": \"GET\"}"),
                () -> raw("POST", PRESIGN, "{\"path\": \"" + shape + "\", \"method\": \"PUT\"}"),
                () -> raw("POST", PRESIGN,
                        "{\"run_id\": \"" + RUN + "\", \"path\": \"" + shape + "\", \"method\": \"PUT\"}"));
    }

    /** Backslashes cannot travel in a java.net.URI; a raw request line carries them as attackers send them. */
    @Test
    void rawBackslashesInTheRequestLine() throws IOException {
        Map<String, String> before = StorageSnapshot.take();
        for (String target : new String[] {"/..\\..\\secret.txt", "/victim\\..\\..\\secret.txt"}) {
            String status = rawRequestLine("GET " + ARTIFACTS + target + " HTTP/1.1");
            assertTrue(status.startsWith("HTTP/1.1 400"), target + " answered " + status);
        }
        assertEquals(before, StorageSnapshot.take());
    }

    @SafeVarargs
    private static void refusedTouchingNothing(Supplier<HttpResponse<String>>... requests) {
        Map<String, String> before = StorageSnapshot.take();
        for (Supplier<HttpResponse<String>> request : requests) {
            assertInvalid(request.get());
        }
        assertEquals(before, StorageSnapshot.take());
    }

    private static String rawRequestLine(String requestLine) throws IOException {
        try (Socket socket = new Socket("localhost", RestAssured.port)) {
            OutputStream out = socket.getOutputStream();
            String request = requestLine + "\r\nHost: localhost\r\nConnection: close\r\n\r\n";
            out.write(request.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = socket.getInputStream();
            StringBuilder line = new StringBuilder();
            for (int c = in.read(); c >= 0 && c != '\r'; c = in.read()) {
                line.append((char) c);
            }
            return line.toString();
        }
    }
}
