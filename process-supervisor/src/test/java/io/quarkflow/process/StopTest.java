package io.quarkflow.process;

import static io.quarkflow.process.ChildProcessTest.sh;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Stopping a child stops everything it started, gracefully when it lets itself be stopped, by force otherwise. */
class StopTest {

    private static final int SIGTERM_EXIT = 128 + 15;
    private static final int SIGKILL_EXIT = 128 + 9;

    @TempDir
    Path dir;

    @Test
    void aChildThatHandlesTheSignalShutsDownInItsOwnWay() throws Exception {
        Path log = dir.resolve("graceful.log");
        ChildProcess child = ChildProcess.start(sh("graceful", """
                trap 'echo cleaning up; exit 3' TERM
                echo started
                sleep 300 &
                wait
                """).withLog(log));
        awaitLine(log, "started");

        child.stop(Duration.ofSeconds(30));

        assertEquals(3, child.exitCode(), "exited through its trap, not killed");
        assertTrue(Files.readAllLines(log).contains("cleaning up"));
    }

    @Test
    void theGrandchildrenOfAShellStopWithIt() throws Exception {
        ShellTree tree = shellWithGrandchild("shell", "");

        tree.shell().stop(Duration.ofSeconds(30));

        assertEquals(SIGTERM_EXIT, tree.shell().exitCode());
        assertFalse(ProcessTree.running(tree.grandchild()), "the shell's child is stopped too");
    }

    @Test
    void whatIgnoresTheSignalIsKilledAfterTheGracePeriod() throws Exception {
        // An ignored signal stays ignored in the programs the shell starts, so sleep ignores it too.
        ShellTree tree = shellWithGrandchild("stubborn", "trap '' TERM; ");

        tree.shell().stop(Duration.ofMillis(500));

        assertEquals(SIGKILL_EXIT, tree.shell().exitCode());
        assertFalse(ProcessTree.running(tree.grandchild()), "killed with the shell");
    }

    @Test
    void stoppingAnExitedChildKeepsItsExitCode() throws Exception {
        ChildProcess child = ChildProcess.start(Command.of("done", List.of("sh", "-c", "exit 7")));
        assertEquals(7, child.waitFor());

        child.close();
        child.close();

        assertEquals(7, child.exitCode());
    }

    private record ShellTree(ChildProcess shell, ProcessHandle grandchild) {
    }

    /** A shell that runs the prelude, then starts a sleep in the background and waits for it. */
    private ShellTree shellWithGrandchild(String name, String prelude) throws Exception {
        Path pid = dir.resolve(name + ".pid");
        ChildProcess shell = ChildProcess.start(sh(name, prelude + "sleep 300 & echo $! > " + pid + "; wait"));
        return new ShellTree(shell, started(pid));
    }

    /** The process whose pid the child wrote to this file, once it has. */
    private static ProcessHandle started(Path pidFile) throws Exception {
        awaitTrue(() -> Files.exists(pidFile) && !Files.readString(pidFile).isBlank(), pidFile + " written");
        long pid = Long.parseLong(Files.readString(pidFile).strip());
        return ProcessHandle.of(pid).orElseThrow(() -> new AssertionError("process " + pid + " is not running"));
    }

    private static void awaitLine(Path log, String line) throws Exception {
        awaitTrue(() -> Files.exists(log) && Files.readAllLines(log).contains(line), line + " in " + log);
    }

    private interface Check {
        boolean holds() throws Exception;
    }

    private static void awaitTrue(Check check, String what) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!check.holds()) {
            assertTrue(System.nanoTime() < deadline, "waited in vain for " + what);
            Thread.sleep(20);
        }
    }
}
