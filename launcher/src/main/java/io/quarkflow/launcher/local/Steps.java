package io.quarkflow.launcher.local;

import io.quarkflow.launcher.domain.LaunchRefused;
import io.quarkflow.process.ChildProcess;
import io.quarkflow.process.Command;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Runs a preparation step (git, python -m venv, pip) as a child process with an argument list, never through a
 * shell, and turns a failure into the run's failure reason with the end of the step's output. Blocking.
 */
final class Steps {

    /** Enough of the output's end to see the error, within the failure tag's bound. */
    static final int TAIL_CHARACTERS = 800;

    private Steps() {
    }

    static void run(String what, List<String> line, Path directory, Map<String, String> environment, Path log) {
        try (ChildProcess child = ChildProcess.start(Command.of(what, line).withDirectory(directory)
                .withEnvironment(environment).withLog(log))) {
            int exitCode = child.waitFor();
            if (exitCode != 0) {
                throw new LaunchRefused(what + " failed with exit code " + exitCode + ":\n" + tail(log));
            }
        } catch (IOException e) {
            throw new LaunchRefused(what + " could not start: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(what + " was interrupted", e);
        }
    }

    /** The last characters of a file, from the start of a line where possible; empty when unreadable. */
    static String tail(Path file) {
        try (RandomAccessFile in = new RandomAccessFile(file.toFile(), "r")) {
            long start = Math.max(0, in.length() - TAIL_CHARACTERS);
            byte[] bytes = new byte[(int) (in.length() - start)];
            in.seek(start);
            in.readFully(bytes);
            String text = new String(bytes, StandardCharsets.UTF_8);
            int newline = text.indexOf('\n');
            return (start > 0 && newline >= 0 && newline < text.length() - 1 ? text.substring(newline + 1) : text)
                    .stripTrailing();
        } catch (IOException e) {
            return Files.exists(file) ? "(output unreadable: " + e.getMessage() + ")" : "";
        }
    }
}
