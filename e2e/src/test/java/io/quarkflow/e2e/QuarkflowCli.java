package io.quarkflow.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@code ./quarkflow}'s client ({@code java -jar quarkflow-cli.jar}) as its own process, as a user runs it, against
 * a gateway with MLFLOW_TRACKING_URI and MLFLOW_TRACKING_TOKEN and nothing else of this JVM's MLflow or Quarkflow
 * settings.
 */
final class QuarkflowCli {

    /** What a finished command left. */
    record Result(int exitCode, String out, String err) {

        @Override
        public String toString() {
            return "exit code " + exitCode + "\n--- stdout:\n" + out + "\n--- stderr:\n" + err;
        }
    }

    private final URI gateway;
    private final Path workingDirectory;
    private final Duration timeout;

    QuarkflowCli(URI gateway, Path workingDirectory, Duration timeout) {
        this.gateway = gateway;
        this.workingDirectory = workingDirectory;
        this.timeout = timeout;
    }

    /** Runs the client to its end, with {@code token} as MLFLOW_TRACKING_TOKEN (null for none). */
    Result run(String token, String... args) {
        try {
            Path out = Files.createTempFile(workingDirectory, "cli", ".out");
            Path err = Files.createTempFile(workingDirectory, "cli", ".err");
            Process process = command(token, List.of(args)).redirectOutput(out.toFile()).redirectError(err.toFile())
                    .start();
            if (!process.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("quarkflow " + List.of(args) + " still runs after " + timeout + ": "
                        + Files.readString(err));
            }
            return new Result(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Whether this JVM was started with SIGINT ignored (bit 2 of /proc/self/status's SigIgn mask). */
    private static boolean sigintIgnored() {
        try {
            return Files.readAllLines(Path.of("/proc/self/status")).stream()
                    .filter(line -> line.startsWith("SigIgn:"))
                    .anyMatch(line -> (Long.parseLong(line.substring("SigIgn:".length()).strip(), 16) & 0b10) != 0);
        } catch (IOException | NumberFormatException e) {
            return false;
        }
    }

    /** The client's command line, to start and stop as a test wishes. */
    ProcessBuilder command(String token, List<String> args) {
        String jar = System.getProperty("quarkflow.e2e.cli-jar");
        if (jar == null || !Files.isRegularFile(Path.of(jar))) {
            throw new IllegalStateException("the client's jar (cli/target) is missing: " + jar);
        }
        List<String> command = new ArrayList<>();
        if (sigintIgnored()) {
            // A harness started in the background (nohup, `cmd &`) ignores SIGINT, and its children inherit that:
            // the client's JVM would never see the Ctrl-C a test sends. A user's terminal delivers it; so does this.
            command.addAll(List.of("python3", "-c", "import os, signal, sys; signal.signal(signal.SIGINT, "
                    + "signal.SIG_DFL); os.execvp(sys.argv[1], sys.argv[1:])"));
        }
        command.addAll(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", jar));
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command).directory(workingDirectory.toFile());
        Map<String, String> env = builder.environment();
        env.keySet().removeIf(name -> name.startsWith("MLFLOW_") || name.startsWith("QUARKFLOW_"));
        env.put("MLFLOW_TRACKING_URI", gateway.toString());
        if (token != null) {
            env.put("MLFLOW_TRACKING_TOKEN", token);
        }
        return builder;
    }
}
