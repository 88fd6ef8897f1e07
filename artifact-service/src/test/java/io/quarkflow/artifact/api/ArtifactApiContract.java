package io.quarkflow.artifact.api;

import io.quarkflow.artifact.FakeTrackingResource;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;

import static io.quarkflow.artifact.api.ArtifactApi.AJAX_ARTIFACTS;
import static io.quarkflow.artifact.api.ArtifactApi.ARTIFACTS;
import static io.quarkflow.artifact.api.ArtifactApi.GET_ARTIFACT;
import static io.quarkflow.artifact.api.ArtifactApi.LOGGED_MODELS;
import static io.quarkflow.artifact.api.ArtifactApi.UPLOAD_ARTIFACT;
import static io.quarkflow.artifact.api.ArtifactApi.MPU;
import static io.quarkflow.artifact.api.ArtifactApi.PRESIGN;
import static io.quarkflow.artifact.api.ArtifactApi.RUN_ARTIFACTS;
import static io.quarkflow.artifact.api.ArtifactApi.delete;
import static io.quarkflow.artifact.api.ArtifactApi.download;
import static io.quarkflow.artifact.api.ArtifactApi.fails;
import static io.quarkflow.artifact.api.ArtifactApi.get;
import static io.quarkflow.artifact.api.ArtifactApi.getArtifact;
import static io.quarkflow.artifact.api.ArtifactApi.invalid;
import static io.quarkflow.artifact.api.ArtifactApi.list;
import static io.quarkflow.artifact.api.ArtifactApi.post;
import static io.quarkflow.artifact.api.ArtifactApi.randomBytes;
import static io.quarkflow.artifact.api.ArtifactApi.sha256;
import static io.quarkflow.artifact.api.ArtifactApi.unique;
import static io.quarkflow.artifact.api.ArtifactApi.uploadArtifact;
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
    void getArtifactStreamsARunArtifactAsAnAttachmentAsMlflowDoes() {
        String runId = unique("ui-run");
        String root = "1/" + runId + "/artifacts";
        byte[] weights = randomBytes(3 * 1024 * 1024 + 5);
        uploaded(root + "/model/weights.bin", weights);
        uploaded(root + "/notes.txt", "hello text".getBytes());
        uploaded(root + "/data.json", "{\"a\": 1}".getBytes());

        byte[] downloaded = getArtifact(runId, "model/weights.bin").statusCode(200)
                .header("Content-Type", "application/octet-stream")
                .header("Content-Disposition", "attachment; filename=\"weights.bin\"; filename*=UTF-8''weights.bin")
                .header("X-Content-Type-Options", "nosniff")
                .header("Content-Length", Integer.toString(weights.length))
                .extract().asByteArray();
        assertEquals(sha256(weights), sha256(downloaded));
        // Text is text/plain but still an attachment (handlers.py, _send_artifact: as_attachment=True).
        getArtifact(runId, "notes.txt").statusCode(200).header("Content-Type", "text/plain")
                .header("Content-Disposition", startsWith("attachment;")).body(equalTo("hello text"));
        given().queryParam("run_uuid", runId).queryParam("path", "data.json").get(GET_ARTIFACT).then()
                .statusCode(200).header("Content-Type", "text/plain").body(equalTo("{\"a\": 1}"));
        given().queryParam("run_id", runId).queryParam("path", "model/weights.bin").head(GET_ARTIFACT).then()
                .statusCode(200).header("Content-Length", Integer.toString(weights.length))
                .header("Content-Disposition", startsWith("attachment;"));
    }

    @Test
    void getArtifactErrorsAreMlflowsInJson() {
        String runId = unique("ui-run");
        uploaded("1/" + runId + "/artifacts/dir/file.txt", "x".getBytes());

        fails(getArtifact(runId, "nothing.txt"), 404, "RESOURCE_DOES_NOT_EXIST");
        fails(getArtifact(runId, "dir"), 404, "RESOURCE_DOES_NOT_EXIST");
        String missingRun = unique("missing");
        fails(getArtifact(missingRun, "dir/file.txt"), 404, "RESOURCE_DOES_NOT_EXIST")
                .body("message", equalTo("Run with id=" + missingRun + " not found"));
        invalid(given().queryParam("run_id", runId).get(GET_ARTIFACT).then()).body("message", containsString("'path'"));
        invalid(getArtifact(runId, ""));
        invalid(given().queryParam("path", "dir/file.txt").get(GET_ARTIFACT).then())
                .body("message", containsString("run_id"));
        invalid(getArtifact(unique("foreign"), "dir/file.txt"));
        // The path is judged before the run is looked up, as in MLflow.
        invalid(getArtifact(unique("missing"), "../secret.txt"));
        // MLflow serves it at the root only.
        fails(given().queryParam("run_id", runId).queryParam("path", "dir/file.txt")
                .get("/ajax-api/2.0/mlflow/get-artifact").then(), 404, "ENDPOINT_NOT_FOUND");
    }

    /** Found by the e2e FuzzTest: a run id of kilobytes was sent on to tracking-service, whose 414 became a 503. */
    @Test
    void aRunIdOutsideMlflowsRuleIsInvalidWithoutAskingTrackingService() {
        invalid(getArtifact("a".repeat(257), "a.bin")).body("message", containsString("Invalid run ID"));
        invalid(getArtifact("-dash-first", "a.bin")).body("message", containsString("Invalid run ID"));
    }

    @Test
    void uploadArtifactWritesTheBodyUnderTheRunRoot() {
        String runId = unique("ui-run");
        byte[] table = "{\"columns\": [\"a\"], \"data\": [[1]]}".getBytes();

        uploadArtifact(runId, "eval/table.json", table).statusCode(200)
                .contentType("application/json").header("Content-Length", "0");

        assertEquals(sha256(table), sha256(download("1/" + runId + "/artifacts/eval/table.json")));
        getArtifact(runId, "eval/table.json").statusCode(200).body(equalTo(new String(table)));
        uploadArtifact(runId, "eval/table.json", "[]".getBytes()).statusCode(200);
        getArtifact(runId, "eval/table.json").statusCode(200).body(equalTo("[]"));
        given().queryParam("run_id", runId).get(RUN_ARTIFACTS).then().statusCode(200)
                .body("files.path", contains("eval"));
    }

    /** MLflow's limit is 10 MB; a chunked body announces no length and is held to it as it arrives. */
    @Test
    void uploadArtifactTakesTenMegabytesAndNotOneByteMore() {
        String runId = unique("ui-run");
        byte[] limit = randomBytes(10 * 1024 * 1024);
        byte[] over = randomBytes(10 * 1024 * 1024 + 1);

        uploadArtifact(runId, "limit.bin", limit).statusCode(200);
        assertEquals(sha256(limit), sha256(download("1/" + runId + "/artifacts/limit.bin")));

        invalid(uploadArtifact(runId, "over.bin", over))
                .body("message", equalTo("Artifact size is too large. Max size is 10MB."));
        HttpResponse<String> chunked = ArtifactApi.send(HttpRequest.newBuilder(URI.create(ArtifactApi.baseUrl()
                        + UPLOAD_ARTIFACT + "?run_uuid=" + runId + "&path=chunked.bin"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(over))).build(),
                HttpResponse.BodyHandlers.ofString());
        ArtifactApi.assertInvalid(chunked);
        fails(get("1/" + runId + "/artifacts/over.bin"), 404, "RESOURCE_DOES_NOT_EXIST");
        fails(get("1/" + runId + "/artifacts/chunked.bin"), 404, "RESOURCE_DOES_NOT_EXIST");
    }

    /** A Content-Length past an int's 2 GiB is judged as any other: over the UI's limit, before a byte is read. */
    @Test
    void uploadArtifactJudgesLengthsBeyondTwoGibibytesBeforeReadingTheBody() {
        String runId = unique("ui-run");
        for (long length : List.of(2_147_483_648L, 5L << 40)) {
            ArtifactApi.RawAnswer answer = ArtifactApi.headOnly("POST", UPLOAD_ARTIFACT + "?run_uuid=" + runId
                    + "&path=big.bin", "Content-Type: application/json\r\nContent-Length: " + length + "\r\n");
            assertEquals(400, answer.status(), answer.body());
            assertEquals(Map.of("error_code", "INVALID_PARAMETER_VALUE", "message",
                    "Artifact size is too large. Max size is 10MB."), JsonPath.from(answer.body()).getMap(""));
        }
        fails(get("1/" + runId + "/artifacts/big.bin"), 404, "RESOURCE_DOES_NOT_EXIST");
    }

    /** quarkus.http.limits.max-body-size is 5T, S3's largest object; what cannot be a long Netty refuses first. */
    @Test
    void uploadsLargerThanFiveTebibytesOrOfNoNumberAreRefusedBeforeStorage() {
        String path = unique("limits") + "/huge.bin";
        assertEquals(413, ArtifactApi.headOnly("PUT", ARTIFACTS + "/" + path,
                "Content-Length: " + ((5L << 40) + 1) + "\r\n").status());
        for (String bad : List.of("abc", "-1", "9223372036854775808")) {
            assertEquals(400, ArtifactApi.headOnly("PUT", ARTIFACTS + "/" + path, "Content-Length: " + bad + "\r\n")
                    .status(), bad);
        }
        fails(get(path), 404, "RESOURCE_DOES_NOT_EXIST");
    }

    @Test
    void uploadArtifactRefusesWhatMlflowRefuses() {
        String runId = unique("ui-run");
        invalid(uploadArtifact(runId, "empty.txt", new byte[0]))
                .body("message", equalTo("Request must specify data."));
        HttpResponse<String> emptyChunked = ArtifactApi.send(HttpRequest.newBuilder(URI.create(ArtifactApi.baseUrl()
                        + UPLOAD_ARTIFACT + "?run_uuid=" + runId + "&path=empty.txt"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(new byte[0]))).build(),
                HttpResponse.BodyHandlers.ofString());
        ArtifactApi.assertInvalid(emptyChunked);
        invalid(given().queryParam("run_id", runId).queryParam("path", "a.txt").contentType(ContentType.JSON)
                .body("1").post(UPLOAD_ARTIFACT).then()).body("message", equalTo("Request must specify run_uuid."));
        invalid(given().queryParam("run_uuid", runId).contentType(ContentType.JSON).body("1").post(UPLOAD_ARTIFACT)
                .then()).body("message", equalTo("Request must specify path."));
        invalid(uploadArtifact(runId, "", "1".getBytes())).body("message", equalTo("Request must specify path."));
        invalid(uploadArtifact(runId, "a/../../b.txt", "1".getBytes()));
        String missingRun = unique("missing");
        fails(uploadArtifact(missingRun, "a.txt", "1".getBytes()), 404, "RESOURCE_DOES_NOT_EXIST")
                .body("message", equalTo("Run with id=" + missingRun + " not found"));
        invalid(uploadArtifact(unique("escape"), "a.txt", "1".getBytes()));
        // POST bodies are JSON only (CVE-2023-43472); MLflow's UI sends application/json.
        invalid(given().queryParam("run_uuid", runId).queryParam("path", "a.txt").contentType(ContentType.TEXT)
                .body("1").post(UPLOAD_ARTIFACT).then());
        fails(given().queryParam("run_uuid", runId).queryParam("path", "a.txt").contentType(ContentType.JSON)
                .body("1").post("/api/2.0/mlflow/upload-artifact").then(), 404, "ENDPOINT_NOT_FOUND");
        given().queryParam("run_id", runId).get(RUN_ARTIFACTS).then().statusCode(200).body("files", nullValue());
    }

    @Test
    void loggedModelArtifactsAreListedRelativeToTheModelRoot() {
        String modelId = unique("m");
        String root = "1/models/" + modelId + "/artifacts";
        uploaded(root + "/MLmodel", "flavors: {}".getBytes());
        uploaded(root + "/data/model.pkl", "abc".getBytes());
        uploaded(root + "/data/sub/deep.txt", "x".getBytes());

        for (String api : List.of("/api", "/ajax-api")) {
            String directories = api + "/2.0/mlflow/logged-models/" + modelId + "/artifacts/directories";
            given().get(directories).then().statusCode(200)
                    .body("root_uri", equalTo(FakeTrackingResource.loggedModelUri(modelId)))
                    .body("files", equalTo(List.of(
                            Map.of("path", "MLmodel", "is_dir", false, "file_size", 11),
                            Map.of("path", "data", "is_dir", true))));
            given().queryParam("artifact_directory_path", "data/").get(directories).then().statusCode(200)
                    .body("files.path", contains("data/model.pkl", "data/sub"));
            given().queryParam("artifact_directory_path", "nothing").get(directories).then().statusCode(200)
                    .body("root_uri", equalTo(FakeTrackingResource.loggedModelUri(modelId)))
                    .body("files", nullValue());
        }
    }

    @Test
    void loggedModelFilesDownloadAsAttachments() {
        String modelId = unique("m");
        uploaded("1/models/" + modelId + "/artifacts/data/model.pkl", "pickled".getBytes());
        uploaded("1/models/" + modelId + "/artifacts/MLmodel", "flavors: {}".getBytes());
        String files = LOGGED_MODELS + "/" + modelId + "/artifacts/files";

        given().queryParam("artifact_file_path", "data/model.pkl").get(files).then().statusCode(200)
                .header("Content-Type", "application/octet-stream")
                .header("Content-Disposition", "attachment; filename=\"model.pkl\"; filename*=UTF-8''model.pkl")
                .header("X-Content-Type-Options", "nosniff")
                .body(equalTo("pickled"));
        given().queryParam("artifact_file_path", "MLmodel").get(files).then().statusCode(200)
                .header("Content-Type", "text/plain").body(equalTo("flavors: {}"));
        given().queryParam("artifact_file_path", "MLmodel").head(files).then().statusCode(200)
                .header("Content-Length", "11");
    }

    @Test
    void loggedModelArtifactErrorsAreMlflows() {
        String modelId = unique("m");
        uploaded("1/models/" + modelId + "/artifacts/data/model.pkl", "pickled".getBytes());
        String files = LOGGED_MODELS + "/" + modelId + "/artifacts/files";
        String directories = LOGGED_MODELS + "/" + modelId + "/artifacts/directories";

        fails(given().get(files).then(), 400, "BAD_REQUEST")
                .body("message", equalTo("Request must include the \"artifact_file_path\" query parameter."));
        fails(given().queryParam("artifact_file_path", "").get(files).then(), 400, "BAD_REQUEST");
        fails(given().queryParam("artifact_file_path", "nothing").get(files).then(), 404, "RESOURCE_DOES_NOT_EXIST");
        fails(given().queryParam("artifact_file_path", "data").get(files).then(), 404, "RESOURCE_DOES_NOT_EXIST");
        invalid(given().queryParam("artifact_file_path", "../model.pkl").get(files).then());
        invalid(given().queryParam("artifact_directory_path", "data/../..").get(directories).then());
        String missing = unique("missing");
        for (String route : List.of("/artifacts/directories", "/artifacts/files?artifact_file_path=MLmodel")) {
            fails(given().urlEncodingEnabled(false).get(LOGGED_MODELS + "/" + missing + route).then(),
                    404, "RESOURCE_DOES_NOT_EXIST")
                    .body("message", equalTo("Logged model with ID '" + missing + "' not found."));
        }
        invalid(given().get(LOGGED_MODELS + "/" + unique("foreign") + "/artifacts/directories").then());
        invalid(given().get(LOGGED_MODELS + "/" + unique("escape") + "/artifacts/directories").then());
        // The model id is one path segment of tracking-service's URL: an encoded slash cannot add another.
        invalid(given().urlEncodingEnabled(false).get(LOGGED_MODELS + "/m-a%2Fb/artifacts/directories").then());
        // The download is ajax-api only in MLflow.
        fails(given().queryParam("artifact_file_path", "data/model.pkl")
                        .get("/api/2.0/mlflow/logged-models/" + modelId + "/artifacts/files").then(),
                404, "ENDPOINT_NOT_FOUND");
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
