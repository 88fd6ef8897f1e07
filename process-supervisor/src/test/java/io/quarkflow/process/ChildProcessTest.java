package io.quarkflow.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Starting real children: command line, environment, directory, log and exit code. */
class ChildProcessTest {

    @TempDir
    Path dir;

    @Test
    void runsInItsDirectoryWithItsEnvironmentAndLogsBothStreams() throws Exception {
        assertNotNull(System.getenv("SUPERVISOR_TEST_DROPPED"), "set for this test in pom.xml");
        Path log = dir.resolve("child.log");
        Command command = sh("show", """
                pwd
                echo "dropped=${SUPERVISOR_TEST_DROPPED-unset}"
                echo "replaced=$SUPERVISOR_TEST_REPLACED"
                echo "kept=$OTHER_SUPERVISOR_TEST_KEPT"
                echo "given=$GIVEN"
                echo "to stderr" >&2
                exit 3
                """)
                .withoutInherited(List.of("SUPERVISOR_TEST_"))
                .withEnvironment(Map.of("SUPERVISOR_TEST_REPLACED", "given", "GIVEN", "yes"))
                .withDirectory(dir)
                .withLog(log);

        ChildProcess child = ChildProcess.start(command);

        assertEquals(3, child.waitFor());
        assertEquals(3, child.exitCode());
        assertEquals(List.of(dir.toRealPath().toString(), "dropped=unset", "replaced=given",
                "kept=from the parent", "given=yes", "to stderr"), Files.readAllLines(log));
    }

    @Test
    void aLoggedChildReadsNoInput() throws Exception {
        ChildProcess child = ChildProcess.start(sh("reader", "cat; echo read to the end").withLog(dir.resolve("reader.log")));

        assertEquals(child, child.onExit().get(30, TimeUnit.SECONDS), "cat saw the end of its input");
        assertEquals(0, child.exitCode());
        assertEquals(List.of("read to the end"), Files.readAllLines(dir.resolve("reader.log")));
    }

    @Test
    void hasNoExitCodeWhileRunning() throws Exception {
        try (ChildProcess child = ChildProcess.start(Command.of("sleeper", List.of("sleep", "300")))) {
            IllegalStateException running = assertThrows(IllegalStateException.class, child::exitCode);
            assertEquals("sleeper is still running", running.getMessage());
        }
    }

    @Test
    void aMissingProgramFailsToStart() {
        Command missing = Command.of("missing", List.of(dir.resolve("no-such-program").toString()));

        assertThrows(IOException.class, () -> ChildProcess.start(missing));
    }

    @Test
    void anEmptyCommandLineIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> Command.of("nothing", List.of()));
    }

    static Command sh(String name, String script) {
        return Command.of(name, List.of("sh", "-c", script));
    }
}
