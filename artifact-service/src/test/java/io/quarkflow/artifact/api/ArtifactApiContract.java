package io.quarkflow.artifact.api;

import io.quarkflow.artifact.FakeTrackingResource;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;

import static io.quarkflow.artifact.api.ArtifactApi.AJAX_ARTIFACTS;
import static io.quarkflow.artifact.api.ArtifactApi.ARTIFACTS;
import static io.quarkflow.artifact.api.ArtifactApi.MPU;
import static io.quarkflow.artifact.api.ArtifactApi.PRESIGN;
import static io.quarkflow.artifact.api.ArtifactApi.RUN_ARTIFACTS;
import static io.quarkflow.artifact.api.ArtifactApi.delete;
import static io.quarkflow.artifact.api.ArtifactApi.download;
import static io.quarkflow.artifact.api.ArtifactApi.fails;
import static io.quarkflow.artifact.api.ArtifactApi.get;
import static io.quarkflow.artifact.api.ArtifactApi.invalid;
import static io.quarkflow.artifact.api.ArtifactApi.list;
import static io.quarkflow.artifact.api.ArtifactApi.post;
import static io.quarkflow.artifact.api.ArtifactApi.randomBytes;
import static io.quarkflow.artifact.api.ArtifactApi.sha256;
import static io.quarkflow.artifact.api.ArtifactApi.unique;
import static io.quarkflow.artifact.api.ArtifactApi.uploaded;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** MLflow's artifact APIs as every storage backend must serve them; subclasses pick the backend. */
abstract class ArtifactApiContract {

    @Test
    void readyOnlyWithItsStorage() {
        given().get("/q/health/ready").then().statusCode(200)
                .body("checks.find { it.name == 'artifact-storage' }.status", equalTo("UP"));
    }

    @Test
    void uploadAndDownloadRoundTripWithTheSameChecksum() {
        String path = unique("roundtrip") + "/model/weights.bin";
        byte[] bytes = randomBytes(3 * 1024 * 1024 + 17);

        uploaded(path, bytes);

        byte[] downloaded = get(path).statusCode(200)
                .header("Content-Type", "application/octet-stream")
                .header("Content-Disposition", "attachment; filename=\"weights.bin\"; filename*=UTF-8''weights.bin")
                .header("X-Content-Type-Options", "nosniff")
                .header("Content-Length", Integer.toString(bytes.length))
                .extract().asByteArray();
        assertEquals(sha256(bytes), sha256(downloaded));
        given().head(ARTIFACTS + "/" + path).then().statusCode(200)
                .header("Content-Length", Integer.toString(bytes.length))
                .header("Content-Disposition", startsWith("attachment;"));
    }

    @Test
    void fileNamesBeyondAsciiAreQuotedForContentDisposition() {
        String directory = unique("names");
        String name = "r\u00e9sum\u00e9 \"final\".txt";
        uploaded(directory + "/" + name, "cv".getBytes());

        get(directory + "/" + name).statusCode(200).header("Content-Disposition",
                "attachment; filename=\"r_sum_ \\\"final\\\".txt\"; "
                        + "filename*=UTF-8''r%C3%A9sum%C3%A9%20%22final%22.txt");
        list(directory).statusCode(200).body("files[0].path", equalTo(name));
    }

    @Test
    void uploadOfUnknownLengthStreamsInParts() {
        String path = unique("chunked") + "/data.bin";
        byte[] bytes = randomBytes(12 * 1024 * 1024 + 5);
        HttpRequest request = HttpRequest.newBuilder(URI.create(ArtifactApi.baseUrl() + ARTIFACTS + "/" + path))
                .PUT(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(bytes))).build();

        HttpResponse<String> response = ArtifactApi.send(request, HttpResponse.BodyHandlers.ofString());

        assertEquals(200, response.statusCode(), response.body());
        assertEquals(sha256(bytes), sha256(download(path)));
    }

    @Test
    void emptyFilesAndOverwritesRoundTrip() {
        String path = unique("overwrite") + "/notes.txt";
        uploaded(path, new byte[0]);
        assertEquals(0, download(path).length);

        uploaded(path, "second version".getBytes());

        get(path).statusCode(200).header("Content-Type", "text/plain").body(equalTo("second version"));
    }

    @Test
    void ajaxPrefixServesTheSameArtifacts() {
        String directory = unique("ajax");
        uploaded(directory + "/MLmodel", "flavors: {}".getBytes());

        given().get(AJAX_ARTIFACTS + "/" + directory + "/MLmodel").then().statusCode(200)
                .header("Content-Type", "text/plain").body(equalTo("flavors: {}"));
        given().queryParam("path", directory).get(AJAX_ARTIFACTS).then().statusCode(200)
                .body("files.path", contains("MLmodel"));
    }

    @Test
    void listsOneLevelWithFileNamesAsMlflowDoes() {
        String directory = unique("listing");
        uploaded(directory + "/a.txt", "abc".getBytes());
        uploaded(directory + "/sub/b.txt", "b".getBytes());
        uploaded(directory + "/sub/deeper/c.txt", "c".getBytes());
        uploaded(directory + "/z.bin", randomBytes(1000));

        list(directory).statusCode(200)
                .body("files", equalTo(List.of(
                        Map.of("path", "a.txt", "is_dir", false, "file_size", 3),
                        Map.of("path", "sub", "is_dir", true),
                        Map.of("path", "z.bin", "is_dir", false, "file_size", 1000))));
        list(directory + "/sub").statusCode(200)
                .body("files.path", contains("b.txt", "deeper"))
                .body("files[1]", not(hasKey("file_size")));
        list(null).statusCode(200).body("files.path", hasItem(directory));
    }

    @Test
    void listingNothingOrAFileAnswersAnEmptyObject() {
        String directory = unique("empty-listing");
        uploaded(directory + "/only.txt", "x".getBytes());

        list(directory + "/missing").statusCode(200).body(equalTo("{}"));
        list(directory + "/only.txt").statusCode(200).body(equalTo("{}"));
    }

    @Test
    void deleteIsRecursive() {
        String directory = unique("delete");
        uploaded(directory + "/keep.txt", "k".getBytes());
        uploaded(directory + "/sub/b.txt", "b".getBytes());
        uploaded(directory + "/sub/deeper/c.txt", "c".getBytes());
        uploaded(directory + "/single.txt", "s".getBytes());

        delete(directory + "/sub").statusCode(200).body(equalTo("{}"));
        delete(directory + "/single.txt").statusCode(200);

        list(directory).statusCode(200).body("files.path", contains("keep.txt"));
        fails(get(directory + "/sub/deeper/c.txt"), 404, "RESOURCE_DOES_NOT_EXIST");
        delete(directory + "/never-existed").statusCode(200).body(equalTo("{}"));
    }

    @Test
    void missingArtifactsAndDirectoriesAreNotFound() {
        String directory = unique("missing");
        uploaded(directory + "/sub/file.txt", "x".getBytes());

        fails(get(directory + "/nothing.bin"), 404, "RESOURCE_DOES_NOT_EXIST");
        fails(get(directory + "/sub"), 404, "RESOURCE_DOES_NOT_EXIST");
    }

    @Test
    void runArtifactsAreListedRelativeToTheRunRoot() {
        String runId = unique("run");
        String root = "1/" + runId + "/artifacts";
        uploaded(root + "/metrics.txt", "m".getBytes());
        uploaded(root + "/model/MLmodel", "flavors: {}".getBytes());
        uploaded(root + "/model/data/weights.bin", randomBytes(10));

        given().queryParam("run_id", runId).get(RUN_ARTIFACTS).then().statusCode(200)
                .body("root_uri", equalTo(FakeTrackingResource.artifactUri(runId)))
                .body("files", equalTo(List.of(
                        Map.of("path", "metrics.txt", "is_dir", false, "file_size", 1),
                        Map.of("path", "model", "is_dir", true))));
        given().queryParam("run_uuid", runId).queryParam("path", "model")
                .get("/ajax-api/2.0/mlflow/artifacts/list").then().statusCode(200)
                .body("files.path", contains("model/MLmodel", "model/data"))
                .body("files[0].file_size", equalTo(11));
        given().queryParam("run_id", runId).queryParam("path", "nothing-here").get(RUN_ARTIFACTS).then()
                .statusCode(200).body("root_uri", equalTo(FakeTrackingResource.artifactUri(runId)))
                .body("files", nullValue());
    }

    @Test
    void runArtifactsOfAnUnknownRunPassTrackingServicesError() {
        String runId = unique("missing");
        fails(given().queryParam("run_id", runId).get(RUN_ARTIFACTS).then(), 404, "RESOURCE_DOES_NOT_EXIST")
                .body("message", equalTo("Run with id=" + runId + " not found"));
    }

    @Test
    void runArtifactsNeedARunWhoseRootIsInThisStorage() {
        invalid(given().get(RUN_ARTIFACTS).then()).body("message", containsString("run_id"));
        invalid(given().queryParam("run_id", unique("foreign")).get(RUN_ARTIFACTS).then());
        invalid(given().queryParam("run_id", unique("escape")).get(RUN_ARTIFACTS).then());
    }

    @Test
    void malformedMultipartRequestsGetMlflowErrors() {
        String create = MPU + "/create/" + unique("mpu");
        invalid(post(create, "{not json"));
        invalid(post(create, "[]"));
        invalid(post(create, "{\"path\": \"model.bin\", \"num_parts\": \"abc\"}"));
        invalid(post(create, "{\"path\": \"model.bin\", \"num_parts\": true}"));
        invalid(post(create, "{\"path\": \"model.bin\", \"num_parts\": 2.5}"));
        invalid(post(create, "{\"path\": \"model.bin\", \"num_parts\": 0}"));
        invalid(post(create, "{\"path\": \"model.bin\", \"num_parts\": 10001}"));
        invalid(post(create, "{\"num_parts\": 2}")).body("message", containsString("'path'"));
        invalid(post(create, "{\"path\": \"model.bin\"}")).body("message", containsString("num_parts"));
        invalid(post(create, "{\"path\": \"model.bin\", \"num_parts\": 2} trailing"));
        invalid(given().contentType(ContentType.JSON).post(create).then());
        invalid(given().contentType(ContentType.TEXT).body("{\"path\": \"a\", \"num_parts\": 1}").post(create).then());
        for (String name : List.of("..", "%2e%2e", "dir/..", "C:model.bin", "a%2Fb", "")) {
            invalid(post(create, Map.of("path", name, "num_parts", 1)));
        }

        String complete = MPU + "/complete/" + unique("mpu");
        invalid(post(complete, Map.of("path", "m.bin", "parts", List.of(Map.of("part_number", 1, "etag", "e")))))
                .body("message", containsString("upload_id"));
        invalid(post(complete, Map.of("path", "m.bin", "upload_id", "u", "parts", List.of())));
        invalid(post(complete, "{\"path\": \"m.bin\", \"upload_id\": \"u\", \"parts\": [null]}"));
        invalid(post(complete, Map.of("path", "m.bin", "upload_id", "u", "parts", List.of(Map.of("etag", "e")))));
        invalid(post(complete, Map.of("path", "m.bin", "upload_id", "u", "parts", List.of(Map.of("part_number", 1)))));
        invalid(post(MPU + "/abort/" + unique("mpu"), Map.of("path", "m.bin")));
    }

    @Test
    void malformedPresignRequestsGetMlflowErrors() {
        invalid(post(PRESIGN, "{nope"));
        invalid(post(PRESIGN, Map.of("method", "GET"))).body("message", containsString("'path'"));
        invalid(post(PRESIGN, Map.of("path", "a.bin"))).body("message", containsString("'method'"));
        invalid(post(PRESIGN, Map.of("path", "a.bin", "method", "DELETE")));
        invalid(post(PRESIGN, Map.of("path", "a.bin", "method", "GET", "expires_in_seconds", 0)));
        invalid(post(PRESIGN, Map.of("path", "a.bin", "method", "GET", "expires_in_seconds", 604801)));
        invalid(post(PRESIGN, "{\"path\": \"a.bin\", \"method\": \"GET\", \"expires_in_seconds\": \"soon\"}"));
        invalid(post(PRESIGN, Map.of("path", "a.bin", "method", "GET", "run_id", "r",
                "artifact_uri", "mlflow-artifacts:/1")));
        for (String outside : List.of("s3://other-bucket/x", "mlflow-artifacts:/1/%2e%2e/%2e%2e", "file:///etc")) {
            invalid(post(PRESIGN, Map.of("path", "a.bin", "method", "GET", "artifact_uri", outside)));
        }
    }

    @Test
    void unknownEndpointsAndMethodsAnswerInJson() {
        fails(given().get("/api/2.0/mlflow-artifacts/nothing").then(), 404, "ENDPOINT_NOT_FOUND");
        fails(given().contentType(ContentType.JSON).body("{}").post(ARTIFACTS + "/x.txt").then(), 405, "BAD_REQUEST");
    }
}
