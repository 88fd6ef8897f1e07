package io.quarkflow.artifact.api;

import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.ValidatableResponse;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Random;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.emptyOrNullString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The calls artifact tests need, so that tests read as behaviour rather than HTTP plumbing. */
final class ArtifactApi {

    static final String ARTIFACTS = "/api/2.0/mlflow-artifacts/artifacts";
    static final String AJAX_ARTIFACTS = "/ajax-api/2.0/mlflow-artifacts/artifacts";
    static final String MPU = "/api/2.0/mlflow-artifacts/mpu";
    static final String RUN_ARTIFACTS = "/api/2.0/mlflow/artifacts/list";
    static final String PRESIGN = "/api/2.0/quarkflow/artifacts/presign";
    static final String GET_ARTIFACT = "/get-artifact";
    static final String UPLOAD_ARTIFACT = "/ajax-api/2.0/mlflow/upload-artifact";
    /** Followed by {@code /<model_id>/artifacts/directories} or {@code /<model_id>/artifacts/files}. */
    static final String LOGGED_MODELS = "/ajax-api/2.0/mlflow/logged-models";

    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private ArtifactApi() {
    }

    static String unique(String prefix) {
        return prefix + "-" + System.nanoTime();
    }

    static byte[] randomBytes(int size) {
        byte[] bytes = new byte[size];
        new Random(size).nextBytes(bytes);
        return bytes;
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static ValidatableResponse upload(String path, byte[] bytes) {
        return given().contentType(ContentType.BINARY).body(bytes).put(ARTIFACTS + "/" + path).then();
    }

    static void uploaded(String path, byte[] bytes) {
        upload(path, bytes).statusCode(200).body(equalTo("{}"));
    }

    static ValidatableResponse get(String path) {
        return given().get(ARTIFACTS + "/" + path).then();
    }

    static byte[] download(String path) {
        return get(path).statusCode(200).extract().asByteArray();
    }

    /** The web UI's download of a run artifact. */
    static ValidatableResponse getArtifact(String runId, String path) {
        return given().queryParam("run_id", runId).queryParam("path", path).get(GET_ARTIFACT).then();
    }

    /** The web UI's upload, sent as the UI sends it: the bytes as the body of a JSON POST. */
    static ValidatableResponse uploadArtifact(String runUuid, String path, byte[] bytes) {
        return given().queryParam("run_uuid", runUuid).queryParam("path", path)
                .contentType("application/json; charset=utf-8").body(bytes).post(UPLOAD_ARTIFACT).then();
    }

    /** One level of the storage root, or of {@code path} when given. */
    static ValidatableResponse list(String path) {
        return (path == null ? given() : given().queryParam("path", path)).get(ARTIFACTS).then();
    }

    static ValidatableResponse delete(String path) {
        return given().delete(ARTIFACTS + "/" + path).then();
    }

    static ValidatableResponse post(String path, Object body) {
        return given().contentType(ContentType.JSON).body(body).post(path).then();
    }

    /** MLflow's error shape: the status, a JSON body with the error code and a non-empty message. */
    static ValidatableResponse fails(ValidatableResponse response, int status, String errorCode) {
        return response.statusCode(status)
                .contentType(ContentType.JSON)
                .body("error_code", equalTo(errorCode))
                .body("message", not(emptyOrNullString()));
    }

    static ValidatableResponse invalid(ValidatableResponse response) {
        return fails(response, 400, "INVALID_PARAMETER_VALUE");
    }

    /** Sends the URL exactly as written: RestAssured and Apache HttpClient would re-encode or normalise it. */
    static HttpResponse<String> raw(String method, String pathAndQuery, String jsonBody) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl() + pathAndQuery));
        if (jsonBody == null) {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            request.header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofString(jsonBody));
        }
        return send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    static void assertInvalid(HttpResponse<String> response) {
        assertEquals(400, response.statusCode(), response.body());
        assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("application/json"));
        assertEquals("INVALID_PARAMETER_VALUE", JsonPath.from(response.body()).getString("error_code"),
                response.body());
    }

    /** An answer read off a socket: its status and body. */
    record RawAnswer(int status, String body) {
    }

    /**
     * Sends a request head exactly as written (its Content-Length may promise any body) and no body, and reads the
     * answer, which must come before the body does.
     */
    static RawAnswer headOnly(String method, String pathAndQuery, String headers) {
        try (Socket socket = new Socket("localhost", RestAssured.port)) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write((method + " " + pathAndQuery + " HTTP/1.1\r\nHost: localhost\r\n" + headers + "\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = socket.getInputStream();
            StringBuilder head = new StringBuilder();
            while (!head.toString().endsWith("\r\n\r\n")) {
                int c = in.read();
                if (c < 0) {
                    break;
                }
                head.append((char) c);
            }
            int status = Integer.parseInt(head.substring(9, 12));
            long length = head.toString().toLowerCase(Locale.ROOT).lines()
                    .filter(line -> line.startsWith("content-length:"))
                    .mapToLong(line -> Long.parseLong(line.substring(15).strip())).findFirst().orElse(0);
            return new RawAnswer(status, new String(in.readNBytes((int) length), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> body) {
        try {
            return HTTP.send(request, body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static String baseUrl() {
        return "http://localhost:" + RestAssured.port;
    }
}
