package io.quarkflow.projects.source;

import io.quarkflow.mlflow.errors.MlflowException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The git command line, blocking: call it from a worker thread. User values go in as separate arguments after
 * {@code --}, never through a shell; git never prompts (a repository that wants credentials fails instead), and
 * the {@code ext::} transport, which runs commands, is off.
 */
final class Git {

    /** How much of git's output an error quotes. */
    private static final int MAX_QUOTED = 2_000;

    private final Duration timeout;

    Git(Duration timeout) {
        this.timeout = timeout;
    }

    /** Runs {@code git -C dir args...} and returns its standard output; a failure becomes the user's 400. */
    String run(Path dir, String... args) {
        List<String> command = new ArrayList<>(List.of("git", "-c", "protocol.ext.allow=never", "-c",
                "core.hooksPath=/dev/null", "-C", dir.toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("GIT_TERMINAL_PROMPT", "0");
        builder.environment().put("GIT_ASKPASS", "true");
        builder.environment().put("GIT_SSH_COMMAND", "ssh -o BatchMode=yes");
        try {
            Process process = builder.start();
            process.getOutputStream().close();
            byte[] output = process.getInputStream().readAllBytes();
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw MlflowException.invalidParameter("git " + args[0] + " took longer than " + timeout + ".");
            }
            String text = new String(output, StandardCharsets.UTF_8);
            if (process.exitValue() != 0) {
                throw MlflowException.invalidParameter("Could not fetch the project: git " + args[0] + " failed: "
                        + (text.length() > MAX_QUOTED ? text.substring(0, MAX_QUOTED) : text).strip());
            }
            return text;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot run git", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while running git", e);
        }
    }
}
