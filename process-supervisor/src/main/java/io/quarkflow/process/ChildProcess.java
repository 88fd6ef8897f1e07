package io.quarkflow.process;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A started {@link Command}: wait until it is ready, wait for its exit code, or stop it with every process it
 * started. Closing stops it.
 */
public final class ChildProcess implements AutoCloseable {

    /** Long enough for a JVM to run its shutdown hooks. */
    public static final Duration DEFAULT_STOP_GRACE = Duration.ofSeconds(10);
    private static final int LOG_TAIL_LINES = 40;
    private static final Duration REAP_WAIT = Duration.ofSeconds(5);

    private final Command command;
    private final Process process;

    private ChildProcess(Command command, Process process) {
        this.command = command;
        this.process = process;
    }

    /** Starts the command and returns at once, so that several children can boot side by side. */
    public static ChildProcess start(Command command) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(command.line());
        if (command.directory() != null) {
            builder.directory(command.directory().toFile());
        }
        Map<String, String> environment = builder.environment();
        environment.keySet().removeIf(name -> command.droppedPrefixes().stream().anyMatch(name::startsWith));
        environment.putAll(command.environment());
        if (command.log() == null) {
            builder.inheritIO();
        } else {
            builder.redirectErrorStream(true).redirectOutput(command.log().toFile());
        }
        Process process = builder.start();
        if (command.log() != null) {
            process.getOutputStream().close(); // a child that reads its input sees the end instead of waiting forever
        }
        return new ChildProcess(command, process);
    }

    public String name() {
        return command.name();
    }

    /** The operating system's id of the child. */
    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** The exit code of a child that has exited; an {@link IllegalStateException} while it runs. */
    public int exitCode() {
        try {
            return process.exitValue();
        } catch (IllegalThreadStateException running) {
            throw new IllegalStateException(name() + " is still running", running);
        }
    }

    /** Blocks until the child exits; its exit code. */
    public int waitFor() throws InterruptedException {
        return process.waitFor();
    }

    public CompletableFuture<ChildProcess> onExit() {
        return process.onExit().thenApply(exited -> this);
    }

    /**
     * Returns once the port accepts connections; fails when the child exits first (with the end of its log) or
     * the timeout passes.
     */
    public void awaitPort(String host, int port, Duration timeout) throws InterruptedException {
        Readiness.await(this, Readiness.listening(host, port), timeout);
    }

    /**
     * Returns once a GET of the URL answers 200; fails when the child exits first (with the end of its log) or the
     * timeout passes.
     */
    public void awaitHttpOk(URI url, Duration timeout) throws InterruptedException {
        Readiness.await(this, Readiness.answering(url), timeout);
    }

    /**
     * Asks the child and all its descendants to stop (SIGTERM) and kills what still runs after the grace period.
     * Safe to call again. Descendants that a child left behind when it exited by itself are no longer its own, and
     * are not stopped.
     */
    public synchronized void stop(Duration grace) {
        ProcessTree.stop(process.toHandle(), grace);
        awaitReaped();
    }

    /**
     * The tree counts an exited child as stopped as soon as it is a zombie; its exit code is known only once the
     * JVM has reaped it, which follows within moments.
     */
    private void awaitReaped() {
        try {
            process.waitFor(REAP_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Stops with the {@link #DEFAULT_STOP_GRACE}. */
    @Override
    public void close() {
        stop(DEFAULT_STOP_GRACE);
    }

    /** For a failure message: the last lines of the log, or nothing when the output went to the console. */
    String logTail() {
        if (command.log() == null) {
            return "";
        }
        try {
            // Decoded leniently: a child may write anything, and a broken byte must not hide the message.
            List<String> lines = new String(Files.readAllBytes(command.log()), StandardCharsets.UTF_8).lines().toList();
            return "; end of " + command.log() + ":\n"
                    + String.join("\n", lines.subList(Math.max(0, lines.size() - LOG_TAIL_LINES), lines.size()));
        } catch (IOException e) {
            return "; its log " + command.log() + " is unreadable: " + e.getMessage();
        }
    }

    @Override
    public String toString() {
        return name() + " (pid " + pid() + ")";
    }
}
