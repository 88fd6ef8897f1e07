package io.quarkflow.images;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The gateway's image started as a container runtime would start it, without one: its layers unpacked into a
 * directory with the device files a runtime adds, then its entrypoint run there as root directory (unshare --root,
 * with its own /proc), as the image's user, in its working directory, with the image's environment. The gateway
 * needs no database, so it can come up alone: it proves the base image's Java runs the fast-jar, as user 185, from
 * the files the layers hold (the web UI's among them). Needs root, for unshare; skipped otherwise.
 */
class GatewayImageRunTest {

    private static final Path REPO = Path.of(System.getProperty("quarkflow.repo")).toAbsolutePath().normalize();
    private static final Duration START_TIMEOUT = Duration.ofSeconds(90);

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @TempDir
    Path work;

    @Test
    void startsFromItsEntrypointAsItsUserAndServesTheWebUi() throws Exception {
        assumeFalse(Boolean.getBoolean("jib.skip"), "the build made no images (jib.skip)");
        assumeTrue("root".equals(System.getProperty("user.name")) && Files.isExecutable(Path.of("/usr/bin/unshare")),
                "unshare --root needs root");
        ImageArchive image = ImageArchive.read(REPO.resolve("gateway/target/jib-image.tar"));
        Path root = work.resolve("rootfs");
        ImageRootfs.unpack(image, root);
        ImageRootfs.addRuntimeFiles(root);

        JsonNode run = image.runConfig();
        int port = freePort();
        int managementPort = freePort();
        List<String> command = new ArrayList<>(List.of("/usr/bin/unshare", "--pid", "--kill-child", "--mount-proc",
                "--root=" + root, "--wd=" + run.path("WorkingDir").asText(),
                "--setuid", run.path("User").asText(), "--setgid", "0"));
        run.path("Entrypoint").forEach(argument -> command.add(argument.asText()));
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(work.resolve("gateway.log").toFile());
        Map<String, String> env = builder.environment();
        env.clear();
        run.path("Env").forEach(variable -> {
            String[] nameAndValue = variable.asText().split("=", 2);
            env.put(nameAndValue[0], nameAndValue[1]);
        });
        env.put("QUARKUS_HTTP_PORT", Integer.toString(port));
        env.put("QUARKUS_MANAGEMENT_PORT", Integer.toString(managementPort));
        env.put("QUARKFLOW_INTERNAL_KEY", "image-run-test-internal-key-0123456789");
        env.put("QUARKFLOW_GATEWAY_AUTH_ENABLED", "false");

        Process gateway = builder.start();
        try {
            HttpResponse<String> live = awaitOk(URI.create("http://127.0.0.1:" + managementPort + "/q/health/live"),
                    gateway);
            assertTrue(live.body().contains("\"UP\""), live.body());

            ProcessHandle java = gateway.descendants().filter(child -> child.info().command().orElse("")
                    .endsWith("/java")).findFirst().orElseThrow(() -> new AssertionError("no java process"));
            assertTrue(java.info().command().orElseThrow().startsWith(root.toString()),
                    "the image's own Java, not this machine's: " + java.info().command().orElseThrow());
            String status = Files.readString(Path.of("/proc", Long.toString(java.pid()), "status"));
            assertTrue(status.lines().anyMatch(line -> line.matches("Uid:\\s+185\\s+185\\s+185\\s+185")), status);

            HttpResponse<String> ui = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, ui.statusCode(), ui.body());
            assertTrue(ui.body().contains("<html") || ui.body().contains("<!doctype html"), ui.body());
            assertTrue(Files.readString(work.resolve("gateway.log")).contains("started in"),
                    Files.readString(work.resolve("gateway.log")));
        } finally {
            stop(gateway);
        }
    }

    /**
     * SIGTERM to the gateway itself, as a runtime stops a container; unshare then ends with it. (Its parent-death
     * signal does not reach a child that changed its user, so stopping unshare alone would leave the gateway running.)
     */
    private static void stop(Process unshare) throws InterruptedException {
        List<ProcessHandle> children = unshare.descendants().toList();
        children.forEach(ProcessHandle::destroy);
        if (!unshare.waitFor(20, TimeUnit.SECONDS)) {
            children.forEach(ProcessHandle::destroyForcibly);
            unshare.destroyForcibly();
        }
    }

    private HttpResponse<String> awaitOk(URI uri, Process process) throws Exception {
        Instant deadline = Instant.now().plus(START_TIMEOUT);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new AssertionError("the gateway exited with " + process.exitValue() + ":\n"
                        + Files.readString(work.resolve("gateway.log")));
            }
            try {
                HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 200) {
                    return response;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(200);
        }
        throw new AssertionError("no answer from " + uri + " within " + START_TIMEOUT + ":\n"
                + Files.readString(work.resolve("gateway.log")));
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
