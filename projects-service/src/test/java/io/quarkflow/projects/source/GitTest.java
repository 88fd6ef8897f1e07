package io.quarkflow.projects.source;

import io.quarkflow.mlflow.errors.MlflowException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The git command line as projects-service runs it: failures, the timeout, and no process left behind. */
class GitTest {

    @TempDir
    Path dir;

    @Test
    void aServerThatNeverAnswersIsGivenUpAfterTheTimeoutWithNoGitLeft() throws IOException {
        Git git = new Git(Duration.ofSeconds(2));
        git.run(dir, "init", "-q");
        List<Socket> held = new ArrayList<>();
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Thread accept = new Thread(() -> {
                try {
                    while (true) {
                        held.add(silent.accept()); // connected, and never a byte back
                    }
                } catch (IOException closed) {
                    // the test is over
                }
            });
            accept.start();
            git.run(dir, "remote", "add", "origin", "--", "git://127.0.0.1:" + silent.getLocalPort() + "/repo");
            long started = System.nanoTime();

            MlflowException timedOut = assertThrows(MlflowException.class,
                    () -> git.run(dir, "fetch", "-q", "--depth", "1", "origin", "--", "HEAD"));

            assertEquals("git fetch took longer than PT2S.", timedOut.getMessage());
            assertTrue(System.nanoTime() - started < Duration.ofSeconds(30).toNanos(), "stopped at the timeout");
            assertFalse(ProcessHandle.current().descendants().anyMatch(p -> p.info().command().orElse("")
                    .contains("git")), "no git process left");
        } finally {
            for (Socket socket : held) {
                socket.close();
            }
        }
    }

    @Test
    void aFailingCommandIsTheUsersErrorWithGitsWordsAndAnExitCodeCanBeAsked() {
        Git git = new Git(Duration.ofSeconds(30));
        git.run(dir, "init", "-q");

        MlflowException failed = assertThrows(MlflowException.class,
                () -> git.run(dir, "checkout", "-q", "no-such-branch"));

        assertTrue(failed.getMessage().startsWith("Could not fetch the project: git checkout failed: "),
                failed.getMessage());
        assertTrue(failed.getMessage().contains("no-such-branch"), failed.getMessage());
        assertFalse(git.succeeds(dir, "rev-parse", "--verify", "-q", "refs/heads/nope"));
    }
}
