package io.quarkflow.artifact.api;

import io.minio.MinioAsyncClient;
import io.minio.StatObjectArgs;
import io.quarkflow.artifact.store.S3ArtifactStorage;
import io.quarkflow.artifact.FakeTrackingResource;
import io.quarkflow.artifact.S3Backend;
import io.quarkflow.artifact.StorageSnapshot;
import io.quarkflow.artifact.TestStorage;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static io.quarkflow.artifact.api.ArtifactApi.LOGGED_MODELS;
import static io.quarkflow.artifact.api.ArtifactApi.MPU;
import static io.quarkflow.artifact.api.ArtifactApi.PRESIGN;
import static io.quarkflow.artifact.api.ArtifactApi.RUN_ARTIFACTS;
import static io.quarkflow.artifact.api.ArtifactApi.download;
import static io.quarkflow.artifact.api.ArtifactApi.fails;
import static io.quarkflow.artifact.api.ArtifactApi.get;
import static io.quarkflow.artifact.api.ArtifactApi.getArtifact;
import static io.quarkflow.artifact.api.ArtifactApi.invalid;
import static io.quarkflow.artifact.api.ArtifactApi.list;
import static io.quarkflow.artifact.api.ArtifactApi.post;
import static io.quarkflow.artifact.api.ArtifactApi.randomBytes;
import static io.quarkflow.artifact.api.ArtifactApi.send;
import static io.quarkflow.artifact.api.ArtifactApi.sha256;
import static io.quarkflow.artifact.api.ArtifactApi.unique;
import static io.quarkflow.artifact.api.ArtifactApi.uploadArtifact;
import static io.quarkflow.artifact.api.ArtifactApi.uploaded;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The artifact APIs on S3 (S3Proxy through the MinIO SDK), with multipart uploads and presigned transfers. */
@QuarkusTest
@TestProfile(S3Backend.class)
class S3BackendTest extends ArtifactApiContract {

    private static final int MIB = 1024 * 1024;

    @Test
    void aMissingBucketOrAnUnreachableEndpointIsAProblem() {
        var config = ConfigProvider.getConfig();
        String endpoint = config.getValue("quarkflow.artifact.s3.endpoint", String.class);
        assertEquals("the bucket no-such-bucket does not exist", s3Storage(endpoint, "no-such-bucket").problem());
        assertEquals(null, s3Storage(endpoint, TestStorage.BUCKET).problem());
        assertTrue(s3Storage("http://127.0.0.1:1", TestStorage.BUCKET).problem().startsWith("S3 does not answer"));
    }

    private static S3ArtifactStorage s3Storage(String endpoint, String bucket) {
        var config = ConfigProvider.getConfig();
        MinioAsyncClient client = MinioAsyncClient.builder().endpoint(endpoint).region("us-east-1")
                .credentials(config.getValue("quarkflow.artifact.s3.access-key", String.class),
                        config.getValue("quarkflow.artifact.s3.secret-key", String.class)).build();
        return new S3ArtifactStorage(client, client, bucket, "", "us-east-1", 5L * MIB);
    }

    /** Found by the e2e FuzzTest: storage's InvalidURI for an over-long key was a 500. */
    @Test
    void aKeyLongerThanStorageTakesIsAnInvalidParameter() {
        String directory = unique("long-key");
        invalid(post(MPU + "/create/" + directory, Map.of("path", "a".repeat(100_000), "num_parts", 1)));
        invalid(post(MPU + "/abort/" + directory, Map.of("path", "a".repeat(100_000), "upload_id", "x")));
    }

    /** Found by the e2e FuzzTest: a run id of kilobytes was sent on to tracking-service, whose 414 became a 503. */
    @Test
    void aPresignForARunIdOutsideMlflowsRuleIsInvalid() {
        invalid(post(PRESIGN, Map.of("run_id", "\uD83D\uDE42".repeat(2_000), "path", "a.bin", "method", "GET")))
                .body("message", containsString("Invalid run ID"));
    }

    @Test
    void artifactsAreObjectsUnderTheBucketPrefix() throws Exception {
        String path = unique("layout") + "/model/MLmodel";
        uploaded(path, "flavors: {}".getBytes());

        long size = StorageSnapshot.s3(ConfigProvider.getConfig()).statObject(StatObjectArgs.builder()
                .bucket(TestStorage.BUCKET).object(TestStorage.PREFIX + "/" + path).build()).size();
        assertEquals(11, size);
    }

    @Test
    void multipartUploadInSeveralPartsThroughPresignedUrls() {
        String directory = unique("mpu");
        byte[] file = randomBytes(12 * MIB + 123);
        JsonPath created = post(MPU + "/create/" + directory,
                Map.of("path", "/home/someone/data/big.bin", "num_parts", 3)).statusCode(200).extract().jsonPath();
        assertEquals(List.of(1, 2, 3), created.getList("credentials.part_number"));

        List<Map<String, Object>> parts = new ArrayList<>();
        for (int part = 1; part <= 3; part++) {
            byte[] bytes = Arrays.copyOfRange(file, (part - 1) * 5 * MIB, Math.min(file.length, part * 5 * MIB));
            String url = created.getString("credentials[" + (part - 1) + "].url");
            HttpResponse<String> response = put(url, bytes);
            assertEquals(200, response.statusCode(), response.body());
            parts.add(Map.of("part_number", part, "etag", response.headers().firstValue("ETag").orElseThrow(),
                    "url", url));
        }
        post(MPU + "/complete/" + directory, Map.of("path", "/home/someone/data/big.bin",
                "upload_id", created.getString("upload_id"), "parts", parts)).statusCode(200).body(equalTo("{}"));

        assertEquals(sha256(file), sha256(download(directory + "/big.bin")));
        list(directory).statusCode(200).body("files.path", contains("big.bin"))
                .body("files[0].file_size", equalTo(file.length));
    }

    @Test
    void abortedMultipartUploadLeavesNothing() {
        String directory = unique("mpu-abort");
        Map<String, Object> file = Map.of("path", "big.bin", "num_parts", 2);
        JsonPath created = post(MPU + "/create/" + directory, file).statusCode(200).extract().jsonPath();
        String uploadId = created.getString("upload_id");
        HttpResponse<String> part = put(created.getString("credentials[0].url"), randomBytes(5 * MIB));
        assertEquals(200, part.statusCode());

        post(MPU + "/abort/" + directory, Map.of("path", "big.bin", "upload_id", uploadId))
                .statusCode(200).body(equalTo("{}"));

        fails(post(MPU + "/complete/" + directory, Map.of("path", "big.bin", "upload_id", uploadId, "parts",
                List.of(Map.of("part_number", 1, "etag", part.headers().firstValue("ETag").orElseThrow())))),
                404, "RESOURCE_DOES_NOT_EXIST");
        fails(get(directory + "/big.bin"), 404, "RESOURCE_DOES_NOT_EXIST");
        list(directory).statusCode(200).body(equalTo("{}"));
    }

    @Test
    void completingWithAWrongEtagIsRefused() {
        String directory = unique("mpu-etag");
        JsonPath created = post(MPU + "/create/" + directory, Map.of("path", "f.bin", "num_parts", 1))
                .statusCode(200).extract().jsonPath();
        assertEquals(200, put(created.getString("credentials[0].url"), randomBytes(1000)).statusCode());

        invalid(post(MPU + "/complete/" + directory, Map.of("path", "f.bin", "upload_id",
                created.getString("upload_id"), "parts", List.of(Map.of("part_number", 1, "etag", "\"0000\"")))));
        fails(get(directory + "/f.bin"), 404, "RESOURCE_DOES_NOT_EXIST");
    }

    /** As in MLflow, only the name of the client's local file is kept, whatever directories it came from. */
    @Test
    void multipartKeepsOnlyTheLocalFileName() {
        String directory = unique("mpu-name");
        String url = post(MPU + "/create/" + directory, Map.of("path", "../../../../secret.txt", "num_parts", 1))
                .statusCode(200).extract().path("credentials[0].url");

        assertEquals("/" + TestStorage.BUCKET + "/" + TestStorage.PREFIX + "/" + directory + "/secret.txt",
                URI.create(url).getPath());
    }

    @Test
    void presignedPutThenGetWithAPlainHttpClient() {
        String path = unique("presigned") + "/data.bin";
        byte[] bytes = randomBytes(2 * MIB + 1);

        JsonPath upload = presign(Map.of("path", path, "method", "put", "expires_in_seconds", 300));
        assertEquals("PUT", upload.getString("method"));
        long expiresIn = upload.getLong("expires_at") - System.currentTimeMillis();
        assertTrue(expiresIn > 290_000 && expiresIn <= 300_000, "expires_at " + expiresIn + " ms from now");
        assertEquals(200, put(upload.getString("url"), bytes).statusCode());

        String url = presign(Map.of("path", path, "method", "GET")).getString("url");
        HttpResponse<byte[]> response = send(HttpRequest.newBuilder(URI.create(url)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, response.statusCode());
        assertArrayEquals(bytes, response.body());
        assertEquals(sha256(bytes), sha256(download(path)));
    }

    @Test
    void tamperedOrExpiredSignaturesAreRejectedByStorage() throws InterruptedException {
        String path = unique("tampered") + "/data.bin";
        uploaded(path, "original".getBytes());
        String url = presign(Map.of("path", path, "method", "PUT")).getString("url");
        int signature = url.indexOf("X-Amz-Signature=") + "X-Amz-Signature=".length();
        String tampered = url.substring(0, signature) + (url.charAt(signature) == 'a' ? 'b' : 'a')
                + url.substring(signature + 1);

        assertEquals(403, put(tampered, "forged".getBytes()).statusCode());

        String shortLived = presign(Map.of("path", path, "method", "PUT", "expires_in_seconds", 1)).getString("url");
        Thread.sleep(2100);
        assertEquals(403, put(shortLived, "late".getBytes()).statusCode());
        get(path).statusCode(200).body(equalTo("original"));
    }

    @Test
    void presignedUrlsResolveRunsAndArtifactUris() {
        String mlflowRun = unique("run");
        String s3Run = unique("s3-run");
        assertEquals("/artifacts/mlflow/1/" + mlflowRun + "/artifacts/model.bin",
                presignedPath(Map.of("run_id", mlflowRun, "path", "model.bin", "method", "GET")));
        assertEquals("/artifacts/mlflow/1/" + s3Run + "/artifacts/model.bin",
                presignedPath(Map.of("run_id", s3Run, "path", "model.bin", "method", "GET")));
        assertEquals("/artifacts/mlflow/7/x/model.bin", presignedPath(
                Map.of("artifact_uri", "s3://artifacts/mlflow/7/x", "path", "model.bin", "method", "GET")));
        assertEquals("/artifacts/mlflow/model.bin", presignedPath(Map.of("path", "model.bin", "method", "GET")));
        fails(post(PRESIGN, Map.of("run_id", unique("missing"), "path", "m.bin", "method", "GET")),
                404, "RESOURCE_DOES_NOT_EXIST");
        invalid(post(PRESIGN, Map.of("run_id", unique("foreign"), "path", "m.bin", "method", "GET")));
    }

    @Test
    void runArtifactsOfAnS3RunRoot() {
        String runId = unique("s3-run");
        uploaded("1/" + runId + "/artifacts/plots/loss.png", randomBytes(64));

        given().queryParam("run_id", runId).get(RUN_ARTIFACTS).then().statusCode(200)
                .body("root_uri", equalTo(FakeTrackingResource.artifactUri(runId)))
                .body("files.path", contains("plots"));
        given().queryParam("run_id", runId).queryParam("path", "plots").get(RUN_ARTIFACTS).then().statusCode(200)
                .body("files.path", contains("plots/loss.png"));
    }

    @Test
    void uiRoutesServeRootsGivenAsS3Uris() throws Exception {
        String runId = unique("s3-run");
        String modelId = unique("s3-m");

        uploadArtifact(runId, "eval/table.json", "[1]".getBytes()).statusCode(200);

        long size = StorageSnapshot.s3(ConfigProvider.getConfig()).statObject(StatObjectArgs.builder()
                .bucket(TestStorage.BUCKET).object(TestStorage.PREFIX + "/1/" + runId + "/artifacts/eval/table.json")
                .build()).size();
        assertEquals(3, size);
        getArtifact(runId, "eval/table.json").statusCode(200).body(equalTo("[1]"));
        uploaded("1/" + modelId + "/artifacts/MLmodel", "flavors: {}".getBytes());
        given().get(LOGGED_MODELS + "/" + modelId + "/artifacts/directories").then().statusCode(200)
                .body("root_uri", equalTo(FakeTrackingResource.loggedModelUri(modelId)))
                .body("files.path", contains("MLmodel"));
        given().queryParam("artifact_file_path", "MLmodel").get(LOGGED_MODELS + "/" + modelId + "/artifacts/files")
                .then().statusCode(200).body(equalTo("flavors: {}"));
    }

    private static JsonPath presign(Map<String, Object> request) {
        return post(PRESIGN, request).statusCode(200).extract().jsonPath();
    }

    private static String presignedPath(Map<String, Object> request) {
        return URI.create(presign(request).getString("url")).getPath();
    }

    private static HttpResponse<String> put(String url, byte[] bytes) {
        return send(HttpRequest.newBuilder(URI.create(url)).PUT(HttpRequest.BodyPublishers.ofByteArray(bytes)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
