package io.quarkflow.cli;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Following what runs on the server: a run's output copied here as it comes, a status awaited by polling, and
 * Ctrl-C turned into a cancel on the server, as {@code mlflow run -b quarkflow} does.
 */
final class Follow {

    static final Set<String> TERMINAL = Set.of("FINISHED", "FAILED", "KILLED");
    static final Duration POLL = Duration.ofMillis(500);
    /** How long an interrupted command waits for the server to confirm the cancel. */
    static final Duration CANCEL_WAIT = Duration.ofSeconds(60);

    private Follow() {
    }

    /**
     * Copies the run's output to {@code out} until the run ends. Until the launcher started the run there is no
     * output yet (404): wait for it, unless the run has ended meanwhile.
     */
    static void logs(ProjectsApi api, String runId, Integer tail, PrintStream out) {
        boolean ended = false;
        while (true) {
            try {
                copy(api.logs(runId, true, tail), out);
                return;
            } catch (ApiException e) {
                // After the run ended, one more try: it may have started and ended between two looks.
                if (!e.notFound() || ended) {
                    throw e;
                }
                ended = ended(api.getRun(runId));
                if (!ended) {
                    sleep(POLL);
                }
            }
        }
    }

    /** Copies as it comes, then closes {@code output}. */
    static void copy(InputStream output, PrintStream out) {
        try (output) {
            byte[] buffer = new byte[8192];
            for (int n = output.read(buffer); n >= 0; n = output.read(buffer)) {
                out.write(buffer, 0, n);
                out.flush();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Polls {@code get} (a run or a workflow) until its status is terminal, or until {@code timeout} (null: no
     * limit); returns what it got last.
     */
    static JsonNode awaitTerminal(Supplier<JsonNode> get, Duration timeout) {
        long deadline = timeout == null ? Long.MAX_VALUE : System.nanoTime() + timeout.toNanos();
        JsonNode now = get.get();
        while (!ended(now) && System.nanoTime() < deadline) {
            sleep(POLL);
            now = get.get();
        }
        return now;
    }

    static boolean ended(JsonNode runOrWorkflow) {
        return TERMINAL.contains(runOrWorkflow.path("status").asText());
    }

    static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted", e);
        }
    }

    /**
     * While open, Ctrl-C (or a SIGTERM) cancels what runs on the server and waits up to {@link #CANCEL_WAIT} for it
     * to end before the JVM exits (with 130 after SIGINT). Closing it lets the command exit on its own.
     */
    static final class CancelOnInterrupt implements AutoCloseable {

        private final Thread hook;

        /**
         * @param what   "run <id>" or "workflow <id>", for the messages
         * @param cancel asks the server to cancel
         * @param get    the run or workflow as it is now
         */
        CancelOnInterrupt(String what, Runnable cancel, Supplier<JsonNode> get, PrintStream err) {
            hook = new Thread(() -> {
                err.println("Interrupted: cancelling " + what);
                try {
                    cancel.run();
                    String last = awaitTerminal(get, CANCEL_WAIT).path("status").asText();
                    err.println(TERMINAL.contains(last)
                            ? what + " " + last
                            : what + " is still " + last + " after " + CANCEL_WAIT.toSeconds() + " s; the server "
                                    + "goes on cancelling it");
                } catch (RuntimeException e) {
                    err.println("Cancelling " + what + " failed: " + e.getMessage());
                }
            }, "cancel-on-interrupt");
            Runtime.getRuntime().addShutdownHook(hook);
        }

        @Override
        public void close() {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the hook runs already: it decides how this ends
            }
        }
    }
}
