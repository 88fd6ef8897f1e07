package io.quarkflow.artifact.api;

import io.quarkflow.artifact.StorageSnapshot;
import io.quarkflow.artifact.TestStorage;
import io.quarkflow.artifact.service.MultipartUploadService;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static io.quarkflow.artifact.api.ArtifactApi.ARTIFACTS;
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

    /** 2 GiB and 1 MiB, past the largest int. */
    private static final long LARGE = (2L << 30) + (1 << 20);

    @Test
    void artifactsAreFilesUnderTheRootDirectory() throws IOException {
        String path = unique("layout") + "/model/MLmodel";
        uploaded(path, "flavors: {}".getBytes());

        assertEquals("flavors: {}", Files.readString(root().resolve(path)));
        try (var files = Files.list(root().resolve(path).getParent())) {
            assertEquals(List.of(root().resolve(path)), files.toList(), "no temporary file is left behind");
        }
    }

    /** Past 2 GiB (an int's limit): the length as announced, listed and sent, and every byte of the file. */
    @Test
    void aFileOverTwoGibibytesIsListedAndDownloadedWhole() throws IOException {
        String directory = unique("large");
        Path file = Files.createDirectories(root().resolve(directory)).resolve("big.bin");
        try (RandomAccessFile sparse = new RandomAccessFile(file.toFile(), "rw")) {
            sparse.setLength(LARGE);
            sparse.seek(LARGE - 1);
            sparse.write(42);
        }
        try {
            list(directory).statusCode(200).body("files[0].file_size", equalTo(LARGE));
            given().head(ARTIFACTS + "/" + directory + "/big.bin").then().statusCode(200)
                    .header("Content-Length", Long.toString(LARGE));
            HttpResponse<InputStream> download = ArtifactApi.send(HttpRequest.newBuilder(
                    URI.create(ArtifactApi.baseUrl() + ARTIFACTS + "/" + directory + "/big.bin")).build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            assertEquals(200, download.statusCode());
            assertEquals(Long.toString(LARGE), download.headers().firstValue("Content-Length").orElseThrow());
            try (InputStream body = download.body()) {
                body.skipNBytes(LARGE - 1);
                assertEquals(42, body.read(), "the last byte");
                assertEquals(-1, body.read());
            }
        } finally {
            Files.delete(file);
        }
    }

    /**
     * An upload that announces more than 2 GiB and is cut off after 1 MiB: the service reads the length as it is, and
     * stores nothing of the broken transfer, not even its temporary file.
     */
    @Test
    void anUploadCutShortOfItsAnnouncedLengthStoresNothing() throws Exception {
        String directory = unique("cut");
        Path parent = Files.createDirectories(root().resolve(directory));
        try (Socket socket = new Socket("localhost", RestAssured.port)) {
            OutputStream out = socket.getOutputStream();
            out.write(("PUT " + ARTIFACTS + "/" + directory + "/big.bin HTTP/1.1\r\nHost: localhost\r\n"
                    + "Content-Length: " + LARGE + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(new byte[1024 * 1024]);
            out.flush();
            awaitFiles(parent, 1); // the upload's temporary file: the service is writing
        }
        awaitFiles(parent, 0);
        fails(get(directory + "/big.bin"), 404, "RESOURCE_DOES_NOT_EXIST");
    }

    private static void awaitFiles(Path directory, int count) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (fileCount(directory) != count && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertEquals(count, fileCount(directory), "files in " + directory);
    }

    private static long fileCount(Path directory) throws IOException {
        try (var files = Files.list(directory)) {
            return files.count();
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
