package io.quarkflow.projects.source;

import io.quarkflow.mlflow.errors.MlflowException;
import io.quarkflow.process.ChildProcess;
import io.quarkflow.process.Command;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The git command line, blocking: call it from a worker thread. User values go in as separate arguments after
 * {@code --}, never through a shell; git never prompts (a repository that wants credentials fails instead), the
 * {@code ext::} transport, which runs commands, is off, and a command that takes longer than the timeout is
 * stopped with everything it started (ssh, remote helpers).
 */
final class Git {

    /** How much of git's output an error quotes. */
    private static final int MAX_QUOTED = 2_000;
    private static final Map<String, String> ENVIRONMENT = Map.of("GIT_TERMINAL_PROMPT", "0", "GIT_ASKPASS", "true",
            "GIT_SSH_COMMAND", "ssh -o BatchMode=yes");

    private final Duration timeout;

    Git(Duration timeout) {
        this.timeout = timeout;
    }

    /** Runs {@code git -C dir args...} and returns its output; a failure becomes the user's 400. */
    String run(Path dir, String... args) {
        Result result = execute(dir, args);
        if (result.exitCode() != 0) {
            String output = result.output();
            throw MlflowException.invalidParameter("Could not fetch the project: git " + args[0] + " failed: "
                    + (output.length() > MAX_QUOTED ? output.substring(0, MAX_QUOTED) : output).strip());
        }
        return result.output();
    }

    /** Whether {@code git -C dir args...} exits 0, as {@code ls-remote --exit-code} tells whether a ref exists. */
    boolean succeeds(Path dir, String... args) {
        return execute(dir, args).exitCode() == 0;
    }

    private record Result(int exitCode, String output) {
    }

    private Result execute(Path dir, String... args) {
        List<String> line = new ArrayList<>(List.of("git", "-c", "protocol.ext.allow=never", "-c",
                "core.hooksPath=/dev/null", "-C", dir.toString()));
        line.addAll(List.of(args));
        Path log = null;
        try {
            log = Files.createTempFile("git-", ".log");
            try (ChildProcess git = ChildProcess.start(Command.of("git " + args[0], line).withEnvironment(ENVIRONMENT)
                    .withLog(log))) {
                git.onExit().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
                return new Result(git.exitCode(), Files.readString(log, StandardCharsets.UTF_8));
            } catch (TimeoutException e) {
                throw MlflowException.invalidParameter("git " + args[0] + " took longer than " + timeout + ".");
            } catch (ExecutionException e) {
                throw new IllegalStateException("Waiting for git failed", e);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot run git", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while running git", e);
        } finally {
            if (log != null) {
                try {
                    Files.deleteIfExists(log);
                } catch (IOException e) {
                    // a temporary file left behind
                }
            }
        }
    }
}
