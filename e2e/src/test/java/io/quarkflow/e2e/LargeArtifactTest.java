package io.quarkflow.e2e;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.mlflow.api.proto.Service.RunInfo;
import org.mlflow.tracking.MlflowClient;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

import static io.quarkflow.e2e.MlflowMessages.assertJsonError;
import static io.quarkflow.e2e.MlflowMessages.uniqueName;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An artifact past 2 GiB (the largest int) through the authenticating gateway to S3 and back, as model weights are:
 * streamed from a seed, never held in a byte array, checked by length and by a SHA-256 computed while it streams each
 * way, while the gateway's and artifact-service's peak memory (VmHWM) grows by far less than the file. Prints the
 * transfer rates. Storage needs about twice the file on disk while S3 joins the parts.
 */
@EndToEnd
class LargeArtifactTest {

    private static final String PROXY = "/api/2.0/mlflow-artifacts/artifacts";
    private static final String SCHEME = "mlflow-artifacts:/";
    /** 2 GiB and 1 MiB. */
    private static final long SIZE = (2L << 30) + (1L << 20);
    private static final long SEED = 2_147_483_648L;
    /** Each JVM has a 192 MB heap: a buffered artifact would show as gigabytes here, or as an OutOfMemoryError. */
    private static final long MAX_MEMORY_GROWTH = 256L << 20;
    private static final List<String> STREAMING_SERVICES = List.of("gateway", "artifact-service");
    /** A 2 GiB transfer takes a minute or two on a busy machine; GatewayHttp's two minutes are for everything else. */
    private static final Duration TRANSFER_TIMEOUT = Duration.ofMinutes(30);

    private final QuarkflowSuite suite;
    private final URI gateway;
    private final MlflowClient client;
    private final GatewayHttp http;
    private final ObjectStorage storage;

    LargeArtifactTest(QuarkflowSuite suite) {
        this.suite = suite;
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
    void uploadsListsAndDownloadsAFileOverTwoGibibytesInFlatMemory() throws Exception {
        assertTrue(storage.usableSpace() > 3 * SIZE, "S3Proxy needs about " + 3 * SIZE / 1_000_000
                + " MB free in java.io.tmpdir for a file of " + SIZE + " bytes");
        String root = newRunRoot("e2e-large-artifact");
        String path = PROXY + "/" + root + "/big.bin";
        Map<String, Long> before = peakMemory();
        try {
            MessageDigest sent = sha256();
            long started = System.nanoTime();
            HttpResponse<String> upload = http.send(http.request(path).timeout(TRANSFER_TIMEOUT)
                    .header("Content-Type", "application/octet-stream")
                    .PUT(HttpRequest.BodyPublishers.fromPublisher(HttpRequest.BodyPublishers.ofInputStream(
                            () -> new DigestInputStream(new SeededBytes(SEED, SIZE), sent)), SIZE)));
            double uploadSeconds = (System.nanoTime() - started) / 1e9;
            assertEquals(200, upload.statusCode(), upload.body());

            assertEquals(List.of("big.bin:" + SIZE),
                    GatewayHttp.files(http.get(PROXY + "?path=" + GatewayHttp.encode(root))));
            assertEquals(OptionalLong.of(SIZE), storage.size(ObjectStorage.keyOf(root + "/big.bin")));

            MessageDigest received = sha256();
            started = System.nanoTime();
            HttpResponse<InputStream> download = http.send(http.request(path).timeout(TRANSFER_TIMEOUT).GET(),
                    HttpResponse.BodyHandlers.ofInputStream());
            assertEquals(200, download.statusCode());
            assertEquals(Optional.of(Long.toString(SIZE)), download.headers().firstValue("Content-Length"));
            long downloaded;
            try (InputStream body = new DigestInputStream(download.body(), received)) {
                downloaded = body.transferTo(OutputStream.nullOutputStream());
            }
            double downloadSeconds = (System.nanoTime() - started) / 1e9;
            Map<String, Long> after = peakMemory();

            System.out.printf("LargeArtifactTest: %d bytes through the gateway to S3Proxy: upload %.1f s (%.1f MB/s), "
                            + "download %.1f s (%.1f MB/s); VmHWM before -> after: %s -> %s (kB)%n", SIZE,
                    uploadSeconds, SIZE / uploadSeconds / 1e6, downloadSeconds, SIZE / downloadSeconds / 1e6,
                    before, after);
            assertEquals(SIZE, downloaded);
            assertEquals(hex(sent), hex(received), "the download is the upload, byte for byte");
            for (String service : STREAMING_SERVICES) {
                long growth = (after.get(service) - before.get(service)) * 1024;
                assertTrue(growth < MAX_MEMORY_GROWTH, service + "'s peak memory grew by " + growth / 1_000_000
                        + " MB while " + SIZE + " bytes went through it");
            }
        } finally {
            assertEquals(200, http.delete(path).statusCode(), "the artifact is deleted");
        }
        assertEquals(OptionalLong.empty(), storage.size(ObjectStorage.keyOf(root + "/big.bin")));
    }

    /** Announced as more than 2 GiB, cut after a few of S3's parts: nothing of it is stored. */
    @Test
    void storesNothingOfALargeUploadCutShort() throws Exception {
        String root = newRunRoot("e2e-large-artifact-cut");
        String cutKey = ObjectStorage.keyOf(root + "/cut.bin");
        try (RawUpload cut = RawUpload.start(gateway, PROXY + "/" + root + "/cut.bin",
                GatewayHttp.basicAuthorization(GatewayIdentities.EDITOR, GatewayIdentities.EDITOR_PASSWORD), SIZE)) {
            assertEquals("HTTP/1.1 100 Continue", cut.readStatusLine());
            cut.send(new byte[12 << 20]); // two 5 MiB parts and the start of a third, then the client vanishes
        }
        // The services learn of the cut asynchronously: an object that looks complete would appear by now.
        for (int check = 0; check < 10; check++) {
            assertEquals(OptionalLong.empty(), storage.size(cutKey), "nothing of an upload cut short is stored");
            Thread.sleep(300);
        }
        assertJsonError(404, "RESOURCE_DOES_NOT_EXIST", http.get(PROXY + "/" + root + "/cut.bin"));
    }

    /** A new run's artifact root as a path of the proxy API (its URI without the scheme). */
    private String newRunRoot(String experimentPrefix) {
        RunInfo run = client.createRun(client.createExperiment(uniqueName(experimentPrefix)));
        assertTrue(run.getArtifactUri().startsWith(SCHEME), run.getArtifactUri());
        return run.getArtifactUri().substring(SCHEME.length());
    }

    /** VmHWM, the most resident memory each streaming service has held so far, in kB. */
    private Map<String, Long> peakMemory() {
        Map<String, Long> peaks = new LinkedHashMap<>();
        for (String service : STREAMING_SERVICES) {
            Path status = Path.of("/proc", Long.toString(suite.pid(service)), "status");
            try {
                String line = Files.readAllLines(status).stream().filter(text -> text.startsWith("VmHWM:"))
                        .findFirst().orElseThrow(() -> new IllegalStateException("No VmHWM in " + status));
                peaks.put(service, Long.parseLong(line.replaceAll("\\D", "")));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return peaks;
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Every JVM has SHA-256", e);
        }
    }

    private static String hex(MessageDigest digest) {
        return HexFormat.of().formatHex(digest.digest());
    }
}
