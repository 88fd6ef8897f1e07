package io.quarkflow.process;

import static io.quarkflow.process.ChildProcessTest.sh;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Waiting for a real child to listen or to answer its health check, and failing fast when it cannot. */
class ReadinessTest {

    private static final Duration LONG = Duration.ofSeconds(60);

    private final FreePorts ports = new FreePorts();

    @TempDir
    Path dir;

    @Test
    void waitsUntilTheChildListensAndAnswers200() throws Exception {
        Files.writeString(dir.resolve("health"), "UP");
        int port = ports.next();
        try (ChildProcess server = ChildProcess.start(Command.of("http-server",
                        List.of("python3", "-m", "http.server", Integer.toString(port), "--bind", "127.0.0.1"))
                .withDirectory(dir)
                .withLog(dir.resolve("server.log")))) {
            server.awaitPort("127.0.0.1", port, LONG);
            server.awaitHttpOk(URI.create("http://127.0.0.1:" + port + "/health"), LONG);

            IllegalStateException notFound = assertThrows(IllegalStateException.class, () ->
                    server.awaitHttpOk(URI.create("http://127.0.0.1:" + port + "/missing"), Duration.ofMillis(500)));
            assertTrue(notFound.getMessage().startsWith("http-server did not answer 200 on http://127.0.0.1:" + port
                    + "/missing within 500 ms (last status 404); end of "), notFound.getMessage());
        }
    }

    @Test
    void aChildThatExitsFailsTheWaitAtOnceWithTheEndOfItsLog() throws Exception {
        Path log = dir.resolve("broken.log");
        ChildProcess broken = ChildProcess.start(sh("broken", "echo starting; echo 'no such setting: x' >&2; exit 4")
                .withLog(log));
        int port = ports.next();

        IllegalStateException failure = assertTimeoutPreemptively(Duration.ofSeconds(20), () ->
                assertThrows(IllegalStateException.class, () -> broken.awaitPort("127.0.0.1", port, LONG)));

        assertEquals("broken exited with code 4 before it could listen on 127.0.0.1:" + port + "; end of " + log
                + ":\nstarting\nno such setting: x", failure.getMessage());
    }

    @Test
    void aChildThatNeverListensFailsTheWaitAfterTheTimeout() throws Exception {
        int port = ports.next();
        try (ChildProcess silent = ChildProcess.start(Command.of("silent", List.of("sleep", "300")))) {
            IllegalStateException failure = assertThrows(IllegalStateException.class,
                    () -> silent.awaitPort("127.0.0.1", port, Duration.ofMillis(500)));

            assertEquals("silent did not listen on 127.0.0.1:" + port + " within 500 ms", failure.getMessage());
        }
    }
}
