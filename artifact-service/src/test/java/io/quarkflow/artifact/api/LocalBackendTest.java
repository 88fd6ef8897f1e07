package io.quarkflow.artifact.api;

import io.quarkflow.artifact.StorageSnapshot;
import io.quarkflow.artifact.TestStorage;
import io.quarkflow.artifact.service.MultipartUploadService;
import io.quarkus.test.junit.QuarkusTest;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static io.quarkflow.artifact.api.ArtifactApi.LOGGED_MODELS;
import static io.quarkflow.artifact.api.ArtifactApi.MPU;
import static io.quarkflow.artifact.api.ArtifactApi.PRESIGN;
import static io.quarkflow.artifact.api.ArtifactApi.RUN_ARTIFACTS;
import static io.quarkflow.artifact.api.ArtifactApi.delete;
import static io.quarkflow.artifact.api.ArtifactApi.fails;
import static io.quarkflow.artifact.api.ArtifactApi.get;
import static io.quarkflow.artifact.api.ArtifactApi.getArtifact;
import static io.quarkflow.artifact.api.ArtifactApi.invalid;
import static io.quarkflow.artifact.api.ArtifactApi.list;
import static io.quarkflow.artifact.api.ArtifactApi.post;
import static io.quarkflow.artifact.api.ArtifactApi.unique;
import static io.quarkflow.artifact.api.ArtifactApi.upload;
import static io.quarkflow.artifact.api.ArtifactApi.uploadArtifact;
import static io.quarkflow.artifact.api.ArtifactApi.uploaded;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The artifact APIs on the local directory backend (the embedded default). */
@QuarkusTest
class LocalBackendTest extends ArtifactApiContract {

    @Test
    void artifactsAreFilesUnderTheRootDirectory() throws IOException {
        String path = unique("layout") + "/model/MLmodel";
        uploaded(path, "flavors: {}".getBytes());

        assertEquals("flavors: {}", Files.readString(root().resolve(path)));
        try (var files = Files.list(root().resolve(path).getParent())) {
            assertEquals(List.of(root().resolve(path)), files.toList(), "no temporary file is left behind");
        }
    }

    @Test
    void multipartUploadAnswersMlflowsNotImplementedSoClientsFallBackToAPut() {
        String path = unique("mpu");
        Map<String, Object> body = Map.of("path", "/tmp/model.bin", "num_parts", 2, "upload_id", "u",
                "parts", List.of(Map.of("part_number", 1, "etag", "e")));
        for (String operation : List.of("create", "complete", "abort")) {
            fails(post(MPU + "/" + operation + "/" + path, body), 501, "NOT_IMPLEMENTED")
                    .body("message", equalTo(MultipartUploadService.UNSUPPORTED));
        }
    }

    @Test
    void presignedUrlsNeedS3() {
        fails(post(PRESIGN, Map.of("path", "a.bin", "method", "PUT")), 501, "NOT_IMPLEMENTED")
                .body("message", startsWith("Presigned URLs need S3-compatible storage"));
    }

    @Test
    void aFileCannotBeWrittenUnderAFileOrOverADirectory() {
        String directory = unique("shapes");
        uploaded(directory + "/file.txt", "f".getBytes());
        uploaded(directory + "/dir/inner.txt", "i".getBytes());

        invalid(upload(directory + "/file.txt/child.txt", "x".getBytes()));
        invalid(upload(directory + "/dir", "x".getBytes()));
        get(directory + "/file.txt").statusCode(200).body(equalTo("f"));
    }

    /** A symlink inside the root that points outside it is refused on every route; its target stays untouched. */
    @Test
    void symlinksOutOfTheRootAreRefusedOnEveryRoute() throws IOException {
        String runId = unique("symlink-run");
        Path runRoot = Files.createDirectories(root().resolve("1/" + runId + "/artifacts"));
        Path outside = Path.of(ConfigProvider.getConfig().getValue(TestStorage.BASE_DIR, String.class), "outside");
        Files.createSymbolicLink(runRoot.resolve("escape"), outside);
        Files.createSymbolicLink(runRoot.resolve("secret.txt"), outside.resolve("secret.txt"));
        String base = "1/" + runId + "/artifacts";
        Map<String, String> before = StorageSnapshot.take();

        invalid(get(base + "/escape/secret.txt"));
        invalid(get(base + "/secret.txt"));
        invalid(upload(base + "/escape/planted.txt", "x".getBytes()));
        invalid(upload(base + "/escape/new/dir/planted.txt", "x".getBytes()));
        invalid(upload(base + "/secret.txt", "overwritten".getBytes()));
        invalid(delete(base + "/escape"));
        invalid(delete(base + "/escape/secret.txt"));
        invalid(list(base + "/escape"));
        invalid(given().queryParam("run_id", runId).queryParam("path", "escape").get(RUN_ARTIFACTS).then());
        invalid(getArtifact(runId, "escape/secret.txt"));
        invalid(getArtifact(runId, "secret.txt"));
        invalid(uploadArtifact(runId, "escape/planted.txt", "x".getBytes()));
        invalid(uploadArtifact(runId, "secret.txt", "overwritten".getBytes()));

        assertEquals(before, StorageSnapshot.take());
        list(base).statusCode(200).body(equalTo("{}"));
    }

    @Test
    void symlinksOutOfALoggedModelRootAreRefused() throws IOException {
        String modelId = unique("m-symlink");
        Path modelRoot = Files.createDirectories(root().resolve("1/models/" + modelId + "/artifacts"));
        Path outside = Path.of(ConfigProvider.getConfig().getValue(TestStorage.BASE_DIR, String.class), "outside");
        Files.createSymbolicLink(modelRoot.resolve("escape"), outside);
        String model = LOGGED_MODELS + "/" + modelId + "/artifacts";
        Map<String, String> before = StorageSnapshot.take();

        invalid(given().queryParam("artifact_directory_path", "escape").get(model + "/directories").then());
        invalid(given().queryParam("artifact_file_path", "escape/secret.txt").get(model + "/files").then());

        assertEquals(before, StorageSnapshot.take());
        given().get(model + "/directories").then().statusCode(200).body("files", nullValue());
    }

    private static Path root() {
        return Path.of(ConfigProvider.getConfig().getValue("quarkflow.artifact.local.root", String.class));
    }
}
