package io.quarkflow.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkflow.process.ChildProcess;
import io.quarkflow.process.Command;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The supervisor with small shell programs as children: a child that exits is started again and said to be back,
 * with pauses that double and start over after a stable run; one that keeps exiting is given up on; a stop restarts
 * nothing and stops the children in reverse order.
 */
class SupervisorTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    private final ByteArrayOutputStream output = new ByteArrayOutputStream();
    private Supervisor supervisor;

    @AfterEach
    void stop() {
        if (supervisor != null) {
            supervisor.stop();
        }
    }

    @Test
    void thePausesDoubleUpToHalfAMinute() {
        List<Duration> pauses = List.of(1, 2, 3, 4, 5, 6, 7, 40).stream()
                .map(Supervisor.Policy.DEFAULT::pause).toList();

        assertEquals(List.of(1L, 2L, 4L, 8L, 16L, 30L, 30L, 30L), pauses.stream().map(Duration::toSeconds).toList());
    }

    @Test
    void aKilledChildIsStartedAgainWithTheSameSettingsAndSaidToBeBack() throws Exception {
        supervisor = supervisor(policy(Duration.ofMillis(50), 5));
        Script service = new Script("tracking", "echo \"$SETTING\" >> settings; touch ready.$$; exec sleep 300");

        supervisor.start(service);
        long first = service.pid(1);
        ProcessHandle.of(first).orElseThrow().destroyForcibly(); // kill -9

        awaitOutput("tracking is back");
        assertEquals("""
                tracking exited with code 137; restarting in 50 ms (restart 1)
                tracking is back
                """, output());
        assertNotEquals(first, service.pid(2));
        assertTrue(ProcessHandle.of(service.pid(2)).orElseThrow().isAlive());
        assertEquals(List.of("the same", "the same"), Files.readAllLines(dir.resolve("tracking/settings")));
    }

    @Test
    void exitsInARowDoubleThePauseAndAStableRunStartsTheCountAgain() throws Exception {
        Supervisor.Policy policy = new Supervisor.Policy(Duration.ofMillis(100), Duration.ofMillis(250),
                Duration.ofSeconds(2), 10, Duration.ofMinutes(1), WAIT);
        supervisor = supervisor(policy);
        // Up for a moment after each of its first four starts, ready only after the first; then up for longer than
        // stableAfter before its fifth exit; then up for good.
        Script service = new Script("flaky", """
                n=$(wc -l < starts)
                case $n in
                  1) touch ready.$$; sleep 0.2; exit 3 ;;
                  2|3|4) exit 4 ;;
                  5) touch ready.$$; sleep 3; exit 5 ;;
                  *) touch ready.$$; exec sleep 300 ;;
                esac
                """);

        supervisor.start(service);

        awaitOutput("(restart 1)\nflaky is back\n");
        assertEquals("""
                flaky exited with code 3; restarting in 100 ms (restart 1)
                flaky exited with code 4; restarting in 200 ms (restart 2)
                flaky exited with code 4; restarting in 250 ms (restart 3)
                flaky exited with code 4; restarting in 250 ms (restart 4)
                flaky is back
                flaky exited with code 5; restarting in 100 ms (restart 1)
                flaky is back
                """, output());
        List<Long> starts = service.startTimes();
        for (int restart = 1; restart <= 4; restart++) {
            long pause = policy.pause(restart).toNanos();
            assertTrue(starts.get(restart) - starts.get(restart - 1) >= pause, "restart " + restart + " waited");
        }
    }

    @Test
    void aChildNotReadyInTimeIsStoppedAndStartedAgain() throws Exception {
        supervisor = supervisor(new Supervisor.Policy(Duration.ofMillis(50), Duration.ofSeconds(1),
                Duration.ofMinutes(1), 5, Duration.ofMinutes(1), Duration.ofSeconds(2)));
        Script service = new Script("slow", """
                n=$(wc -l < starts)
                case $n in
                  1) touch ready.$$; sleep 0.2; exit 1 ;;
                  2) exec sleep 300 ;;
                  *) touch ready.$$; exec sleep 300 ;;
                esac
                """);

        supervisor.start(service);

        awaitOutput("slow is back");
        assertEquals("""
                slow exited with code 1; restarting in 50 ms (restart 1)
                slow was not ready within 2 s
                slow exited with code 143; restarting in 100 ms (restart 2)
                slow is back
                """, output());
        assertFalse(ProcessHandle.of(service.pid(2)).map(ProcessHandle::isAlive).orElse(false), "the slow one stopped");
    }

    @Test
    void aChildThatKeepsExitingIsGivenUpOnAndNotStartedAgain() throws Exception {
        supervisor = supervisor(policy(Duration.ofMillis(50), 3));
        Script service = new Script("broken", """
                if [ "$(wc -l < starts)" = 1 ]; then touch ready.$$; sleep 0.2; fi
                exit 1
                """);

        supervisor.start(service);

        assertEquals("broken exited 3 times within 1 min, the last time with code 1; giving up on it",
                supervisor.gaveUp().get(WAIT.toSeconds(), TimeUnit.SECONDS));
        assertEquals("""
                broken exited with code 1; restarting in 50 ms (restart 1)
                broken exited with code 1; restarting in 100 ms (restart 2)
                """, output());
        Thread.sleep(500);
        assertEquals(3, service.startTimes().size(), "no start after giving up");
    }

    @Test
    void aStopRestartsNothingAndStopsTheChildrenInReverseOrder() throws Exception {
        supervisor = supervisor(policy(Duration.ofSeconds(2), 5));
        List<Script> services = List.of(stoppable("database"), stoppable("tracking"), stoppable("gateway"));
        for (Script service : services) {
            supervisor.start(service);
        }
        ProcessHandle tracking = ProcessHandle.of(services.get(1).pid(1)).orElseThrow();
        List<ProcessHandle> itsSleep = tracking.descendants().toList();
        tracking.destroyForcibly();
        itsSleep.forEach(ProcessHandle::destroyForcibly);
        awaitOutput("tracking exited with code 137; restarting in 2 s (restart 1)\n");

        long stopping = System.nanoTime();
        supervisor.stop();

        assertTrue(System.nanoTime() - stopping < Duration.ofSeconds(2).toNanos(), "no wait for the pause");
        assertEquals(List.of("gateway", "database"), Files.readAllLines(dir.resolve("stopped")));
        for (Script service : services) {
            assertFalse(ProcessHandle.of(service.pid(1)).map(ProcessHandle::isAlive).orElse(false));
        }
        Thread.sleep(2500); // past the pause
        assertEquals(1, services.get(1).startTimes().size(), "not started again after the stop");
        assertEquals("tracking exited with code 137; restarting in 2 s (restart 1)\n", output());
    }

    /** Long-running, and says in {@code stopped} when a stop reaches it. */
    private Script stoppable(String name) {
        return new Script(name, "trap 'echo " + name + " >> ../stopped; exit 0' TERM; touch ready.$$; "
                + "sleep 300 & wait");
    }

    private Supervisor supervisor(Supervisor.Policy policy) {
        return new Supervisor(policy, new PrintStream(output, true, StandardCharsets.UTF_8));
    }

    private static Supervisor.Policy policy(Duration firstPause, int giveUpExits) {
        return new Supervisor.Policy(firstPause, Duration.ofSeconds(30), Duration.ofMinutes(1), giveUpExits,
                Duration.ofMinutes(1), WAIT);
    }

    private String output() {
        return output.toString(StandardCharsets.UTF_8);
    }

    private void awaitOutput(String text) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!output().contains(text)) {
            assertTrue(System.nanoTime() < deadline, "no \"" + text + "\" in:\n" + output());
            Thread.sleep(20);
        }
    }

    /**
     * A shell script as a service, run in a directory of its own: each start first appends its pid and time to
     * {@code starts}; it is ready once it has created {@code ready.<pid>}.
     */
    private final class Script implements Supervisor.Service {

        private final String name;
        private final String script;
        private final Path home;

        Script(String name, String script) {
            this.name = name;
            this.script = "echo \"$$ $(date +%s%N)\" >> starts\n" + script;
            try {
                home = Files.createDirectories(dir.resolve(name));
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public ChildProcess start() throws IOException {
            return ChildProcess.start(Command.of(name, List.of("sh", "-c", script))
                    .withEnvironment(Map.of("SETTING", "the same"))
                    .withDirectory(home));
        }

        @Override
        public void awaitReady(ChildProcess process, Duration timeout) throws InterruptedException {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (!Files.exists(home.resolve("ready." + process.pid()))) {
                if (!process.isAlive()) {
                    throw new IllegalStateException(name + " exited with code " + process.exitCode());
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException(name + " was not ready within " + timeout.toSeconds() + " s");
                }
                Thread.sleep(20);
            }
        }

        /** The pid of the n-th start, counted from 1. */
        long pid(int start) throws IOException {
            return Long.parseLong(Files.readAllLines(home.resolve("starts")).get(start - 1).split(" ")[0]);
        }

        /** When each start began, in nanoseconds of the clock. */
        List<Long> startTimes() throws IOException {
            return Files.readAllLines(home.resolve("starts")).stream()
                    .map(line -> Long.parseLong(line.split(" ")[1])).toList();
        }
    }
}
